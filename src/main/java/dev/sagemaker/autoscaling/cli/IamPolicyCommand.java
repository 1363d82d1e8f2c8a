package dev.sagemaker.autoscaling.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemaker.autoscaling.tenancy.IamPolicy;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the least-privilege IAM policy for the operator of one cluster. */
@Command(
    name = "iam-policy",
    mixinStandardHelpOptions = true,
    description = {
      "Print the least-privilege IAM policy (JSON) for the operator of one cluster: scalable"
          + " targets only when",
      "tagged for this cluster, alarms only under its smsp_<cluster>_ prefix, tagging only of the"
          + " owner tag."
    })
public final class IamPolicyCommand implements Callable<Integer> {
  @Option(
      names = "--cluster-name",
      required = true,
      description =
          "The operator's cluster name (CLUSTER_NAME; with none set, the c<12 hex> name it logs at"
              + " start).")
  String clusterName;

  @Option(
      names = "--account",
      description = "AWS account id (12 digits); default: any account (*).")
  String account;

  @Option(
      names = "--partition",
      defaultValue = "aws",
      description = "AWS partition: aws, aws-cn or aws-us-gov (default: ${DEFAULT-VALUE}).")
  String partition;

  @Option(
      names = "--allow-adopt",
      description =
          "Also allow adopting scalable targets that no owner has tagged (the adopt annotation).")
  boolean allowAdopt;

  @Option(
      names = "--assume-role-arns",
      split = ",",
      paramLabel = "ARN",
      description =
          "Role ARNs (globs, comma-separated or repeated) that spec.aws.roleArn may name; without"
              + " it the operator assumes no role.")
  List<String> assumeRoleArns = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    IamPolicy policy;
    try {
      policy =
          new IamPolicy(
              clusterName,
              Optional.ofNullable(account),
              partition,
              allowAdopt,
              assumeRoleArns.stream().map(String::trim).filter(a -> !a.isEmpty()).toList());
    } catch (IllegalArgumentException e) {
      err.println("iam-policy: " + e.getMessage());
      err.flush();
      return 2;
    }
    // Arrays one item per line, as IAM policies are usually written and reviewed.
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    out.println(new ObjectMapper().writer(printer).writeValueAsString(policy.document()));
    out.flush();
    return 0;
  }
}
