package dev.sagemaker.autoscaling.cli;

public final class Main {
  public static void main(String[] args) {}
}
