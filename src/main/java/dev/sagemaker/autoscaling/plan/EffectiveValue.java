package dev.sagemaker.autoscaling.plan;

/**
 * One value of the plan and where it came from, so {@code plan -o text} can say why a request
 * carries it (or leaves it out).
 *
 * @param object the AWS object's name (policy or alarm) or "target"
 * @param field the spec field the value belongs to, as kubectl explain names it
 * @param value the effective value, as AWS applies it
 * @param origin where it came from
 * @param note why, for defaults and guidance; empty when the spec says it
 */
public record EffectiveValue(
    String object, String field, String value, Origin origin, String note) {

  public enum Origin {
    /** Written in the spec (or filled in by the CRD's schema default at admission). */
    SPEC("spec"),
    /** Left out of the request, so AWS applies its documented default. */
    AWS_DEFAULT("AWS default"),
    /** Sent explicitly with the value the AWS CDK uses when its user leaves it out. */
    CDK_DEFAULT("AWS CDK default"),
    /** The operator's own choice where neither AWS nor the CDK has one. */
    OPERATOR_DEFAULT("operator default"),
    /**
     * Worked out from other values (the metric catalog, the step-band split, the AWS
     * documentation).
     */
    DERIVED("derived");

    private final String label;

    Origin(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
