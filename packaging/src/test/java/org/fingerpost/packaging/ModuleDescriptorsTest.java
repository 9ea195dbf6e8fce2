package org.fingerpost.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptors of Fingerpost's modules as built (docs/design.md section 2): every module
 * the fat jar is made of has one, none exports an {@code internal} package, and every service a
 * module {@code provides} is also listed in its {@code META-INF/services}, which is what finds it on
 * the classpath the fat jar and the WAR run on.
 */
class ModuleDescriptorsTest {
  /**
   * Every Fingerpost module of the fat jar (a module added to it is added here; test-only modules on
   * this classpath may have descriptors too and are checked like the others).
   */
  private static final Set<String> MODULES = Set.of("org.fingerpost.transport", "org.fingerpost.pem",
      "org.fingerpost.transport.finger", "org.fingerpost.transport.tls", "org.fingerpost.transport.relay",
      "org.fingerpost.config", "org.fingerpost.registry", "org.fingerpost.streams", "org.fingerpost.streamer",
      "org.fingerpost.gateway", "org.fingerpost.webapp", "org.fingerpost.packaging");

  /** The descriptors found on the classpath, by module name, with where each was found. */
  private static Map<String, Found> fingerpostDescriptors() throws IOException {
    Map<String, Found> found = new TreeMap<>();
    Enumeration<URL> urls = ModuleDescriptorsTest.class.getClassLoader().getResources("module-info.class");
    for (URL url : Collections.list(urls)) {
      ModuleDescriptor d;
      try (InputStream in = url.openStream()) {
        d = ModuleDescriptor.read(in);
      }
      if (d.name().startsWith("org.fingerpost.")) {
        String base = url.toString().substring(0, url.toString().length() - "module-info.class".length());
        found.put(d.name(), new Found(d, base));
      }
    }
    return found;
  }

  private record Found(ModuleDescriptor descriptor, String base) {}

  @Test
  void everyModuleHasADescriptor() throws IOException {
    Set<String> missing = new TreeSet<>(MODULES);
    missing.removeAll(fingerpostDescriptors().keySet());
    assertTrue(missing.isEmpty(), "modules without module-info.class: " + missing);
  }

  @Test
  void noModuleExportsAnInternalPackage() throws IOException {
    int internal = 0;
    for (Found f : fingerpostDescriptors().values()) {
      for (ModuleDescriptor.Exports e : f.descriptor().exports()) {
        assertFalse(e.source().contains(".internal"),
            f.descriptor().name() + " exports its implementation package " + e.source());
      }
      internal += (int) f.descriptor().packages().stream().filter(p -> p.contains(".internal")).count();
    }
    // The check means something: there are internal packages, and they stay inside their modules.
    assertTrue(internal >= 5, "internal packages found: " + internal);
  }

  @Test
  void everyProvidedServiceIsAlsoListedForTheClasspath() throws IOException {
    int provided = 0;
    for (Found f : fingerpostDescriptors().values()) {
      for (ModuleDescriptor.Provides p : f.descriptor().provides()) {
        URL services = new URL(f.base() + "META-INF/services/" + p.service());
        String listed;
        try (InputStream in = services.openStream()) {
          listed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Set<String> classes = Arrays.stream(listed.split("\n")).map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
        assertEquals(Set.copyOf(p.providers()), classes, f.descriptor().name() + " " + p.service());
        provided++;
      }
    }
    // finger, tls (a transport and the listener TLS), relay.
    assertEquals(4, provided);
  }
}
