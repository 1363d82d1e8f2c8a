package dev.sagemaker.autoscaling.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar sagemaker-autoscaling-operator.jar [run|plan|simulate|iam-policy]}; with no
 * command it runs the operator.
 */
@Command(
    name = "sagemaker-autoscaling-operator",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    subcommands = {
      RunCommand.class,
      PlanCommand.class,
      SimulateCommand.class,
      IamPolicyCommand.class
    },
    description =
        "Declares Amazon SageMaker endpoint autoscaling as the SageMakerScalingPolicy custom"
            + " resource.")
public final class Main implements Runnable {

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    if (args.length == 0
        || args[0].startsWith("--") && !args[0].equals("--help") && !args[0].equals("--version")) {
      // Plain `java -jar` (and flags without a command) start the operator, as a container expects.
      String[] withRun = new String[args.length + 1];
      withRun[0] = "run";
      System.arraycopy(args, 0, withRun, 1, args.length);
      args = withRun;
    }
    System.exit(cli.execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "sagemaker-autoscaling-operator " + (version == null ? "development" : version)
      };
    }
  }
}
