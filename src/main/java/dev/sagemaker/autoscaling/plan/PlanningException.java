package dev.sagemaker.autoscaling.plan;

/** A spec the planner cannot turn into AWS objects; the message is for the user. */
public class PlanningException extends Exception {
  public PlanningException(String message) {
    super(message);
  }
}
