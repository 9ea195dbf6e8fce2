/**
 * The one configuration model (docs/configuration.md): the key catalogue ({@code Keys}) and its
 * sources — YAML, {@code zuul.conf}, environment, and the WAR's system properties and context
 * parameters. Depends on no other Fingerpost module; {@code webapp} and {@code packaging} read it.
 */
module org.fingerpost.config {
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.slf4j;

  exports org.fingerpost.config;
}
