package org.fingerpost.packaging;

import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fingerpost} command line: {@code demo}, {@code streamer}, {@code gateway}, {@code web}. */
@Command(name = "fingerpost",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Live CI build logs across zones through one finger gateway per zone.",
    subcommands = {DemoCommand.class, StreamerCommand.class, GatewayCommand.class, WebCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code; daemons return once interrupted. */
  public static int run(String... args) {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Main::handleFailure)
        .execute(args);
  }

  private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    // A bad configuration is the operator's to fix: say what is wrong, without a stack trace.
    if (e instanceof org.fingerpost.config.ConfigException) {
      cmd.getErr().println("fingerpost: " + e.getMessage());
      return 2;
    }
    cmd.getErr().println("fingerpost: " + e);
    e.printStackTrace(cmd.getErr());
    return 1;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
