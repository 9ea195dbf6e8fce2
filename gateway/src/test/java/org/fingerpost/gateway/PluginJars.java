package org.fingerpost.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.fingerpost.transport.LogTransport;

/** Builds plugin jars the way a third party would: sources compiled against transport-spi alone. */
final class PluginJars {
  private PluginJars() {}

  /** Compiles {@code sources} (class name -> source) and packs them with a services entry. */
  static Path build(Path workDir, Path jar, Map<String, String> sources, List<String> services) throws Exception {
    Path src = Files.createDirectories(workDir.resolve("src"));
    Path classes = Files.createDirectories(workDir.resolve("classes"));
    String[] args = new String[sources.size() + 6];
    int i = 0;
    args[i++] = "--release";
    args[i++] = "17";
    args[i++] = "-cp";
    args[i++] = spiLocation().toString();
    args[i++] = "-d";
    args[i++] = classes.toString();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args[i++] = file.toString();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac.run(null, null, null, args) != 0) {
      throw new AssertionError("plugin sources did not compile");
    }
    Path servicesFile = classes.resolve("META-INF/services/" + LogTransport.class.getName());
    Files.createDirectories(servicesFile.getParent());
    Files.writeString(servicesFile, String.join("\n", services).concat("\n"));
    return pack(classes, jar);
  }

  /** Packs a directory of classes and resources (services entry included) into {@code jar}. */
  static Path pack(Path classes, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        put(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
      }
    }
    return jar;
  }

  /** A file named like a jar that is not one. */
  static Path corrupt(Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar)) {
      out.write("this is not a zip file".getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }

  private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(bytes);
    out.closeEntry();
  }

  private static Path spiLocation() throws URISyntaxException {
    return Path.of(LogTransport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
