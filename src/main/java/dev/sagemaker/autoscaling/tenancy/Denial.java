package dev.sagemaker.autoscaling.tenancy;

/**
 * Why a resource may not act in its namespace.
 *
 * @param field the spec field or annotation that asks for more than the namespace grants
 * @param grant the namespace annotation that would grant it
 * @param message for the user: names the field, its value, the namespace and the annotation to add
 */
public record Denial(String field, String grant, String message) {}
