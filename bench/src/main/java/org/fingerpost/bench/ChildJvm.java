package org.fingerpost.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a benchmark's child JVM ({@link BenchNode}, {@link FanoutNode}): this JDK's
 * {@code java}, the JVM options, a class path, the main class and its arguments. Stateless.
 */
final class ChildJvm {
  private ChildJvm() {}

  /**
   * @param jvmOptions space-separated JVM options; blank for none
   * @param classPath the child's class path; null for this JVM's
   */
  static List<String> command(String jvmOptions, String classPath, Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String options = jvmOptions.trim();
    if (!options.isEmpty()) {
      cmd.addAll(List.of(options.split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(classPath != null ? classPath : System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }
}
