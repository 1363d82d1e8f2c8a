"""The contract checker rejects what AWS rejects and accepts what AWS accepts."""

import copy
import json
import os
import sys
import unittest
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import smsp_contract  # noqa: E402

TARGET = {
    "ServiceNamespace": "sagemaker",
    "ResourceId": "endpoint/recommender/variant/AllTraffic",
    "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
}
STEP_POLICY = dict(TARGET, PolicyName="smsp_prod_default_recommender_cpu-steps_upper", PolicyType="StepScaling",
                   StepScalingPolicyConfiguration={
                       "AdjustmentType": "ChangeInCapacity", "Cooldown": 300, "MetricAggregationType": "Average",
                       "StepAdjustments": [
                           {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 30.0, "ScalingAdjustment": 1},
                           {"MetricIntervalLowerBound": 30.0, "ScalingAdjustment": 2}]})
MATH_POLICY = dict(TARGET, PolicyName="per-core", PolicyType="TargetTrackingScaling",
                   TargetTrackingScalingPolicyConfiguration={
                       "TargetValue": 70.0,
                       "CustomizedMetricSpecification": {"Metrics": [
                           {"Id": "m1", "ReturnData": False, "MetricStat": {
                               "Metric": {"Namespace": "/aws/sagemaker/Endpoints", "MetricName": "CPUUtilization",
                                          "Dimensions": [{"Name": "EndpointName", "Value": "recommender"}]},
                               "Stat": "Average", "Unit": "Percent"}},
                           {"Id": "e1", "Expression": "m1 / 8", "ReturnData": True}]}})
ALARM = {"AlarmName": "smsp_prod_default_recommender_cpu-steps_upper", "Namespace": "/aws/sagemaker/Endpoints",
         "MetricName": "CPUUtilization", "Dimensions": [{"Name": "EndpointName", "Value": "recommender"}],
         "Statistic": "Average", "Period": 300, "EvaluationPeriods": 1, "Threshold": 70.0, "Unit": "Percent",
         "ComparisonOperator": "GreaterThanOrEqualToThreshold", "AlarmActions": ["arn:aws:autoscaling:policy"]}
MATH_ALARM = {"AlarmName": "math", "EvaluationPeriods": 3, "Threshold": 70.0, "ComparisonOperator": "GreaterThanThreshold",
              "Metrics": [{"Id": "m1", "ReturnData": False, "MetricStat": {
                  "Metric": {"Namespace": "AWS/SageMaker", "MetricName": "Invocations"}, "Period": 60, "Stat": "Sum"}},
                  {"Id": "e1", "Expression": "m1 / 60", "ReturnData": True}]}


def rules(service, operation, request):
    return sorted((v["rule"], v["path"]) for v in smsp_contract.check(service, operation, request))


def changed(request, edit):
    request = copy.deepcopy(request)
    edit(request)
    return request


class GoodRequestsPass(unittest.TestCase):
    def test_the_operators_request_shapes_pass(self):
        self.assertEqual([], rules("application-autoscaling", "RegisterScalableTarget", dict(TARGET, MinCapacity=1, MaxCapacity=3, Tags={"a": "b"})))
        self.assertEqual([], rules("application-autoscaling", "PutScalingPolicy", STEP_POLICY))
        self.assertEqual([], rules("application-autoscaling", "PutScalingPolicy", MATH_POLICY))
        self.assertEqual([], rules("cloudwatch", "PutMetricAlarm", ALARM))
        self.assertEqual([], rules("cloudwatch", "PutMetricAlarm", MATH_ALARM))
        self.assertEqual([], rules("sagemaker", "DescribeEndpoint", {"EndpointName": "recommender"}))

    def test_one_query_alone_may_leave_return_data_unset(self):
        alarm = changed(MATH_ALARM, lambda r: r.update(Metrics=[{"Id": "e1", "Expression": "SUM(METRICS())"}]))
        self.assertEqual([], rules("cloudwatch", "PutMetricAlarm", alarm))

    def test_steps_below_and_above_the_threshold_that_meet_pass(self):
        steps = [{"MetricIntervalUpperBound": -10.0, "ScalingAdjustment": -2},
                 {"MetricIntervalLowerBound": -10.0, "MetricIntervalUpperBound": 0.0, "ScalingAdjustment": -1}]
        policy = changed(STEP_POLICY, lambda r: r["StepScalingPolicyConfiguration"].update(StepAdjustments=steps))
        self.assertEqual([], rules("application-autoscaling", "PutScalingPolicy", policy))

    def test_an_hour_long_period_may_span_a_week(self):
        self.assertEqual([], rules("cloudwatch", "PutMetricAlarm", dict(ALARM, Period=3600, EvaluationPeriods=168)))

    def test_sagemaker_tag_keys_with_unicode_letters_match_the_java_pattern(self):
        request = {"ResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/e", "Tags": [{"Key": "smsp-test/status", "Value": "Ünïcode ok"}]}
        self.assertEqual([], rules("sagemaker", "AddTags", request))


class BadRequestsFail(unittest.TestCase):
    def test_missing_required_member(self):
        request = {k: v for k, v in STEP_POLICY.items() if k != "ResourceId"}
        self.assertIn(("required", "ResourceId"), rules("application-autoscaling", "PutScalingPolicy", request))

    def test_missing_required_member_deep_in_a_list(self):
        policy = changed(STEP_POLICY, lambda r: r["StepScalingPolicyConfiguration"]["StepAdjustments"][1].pop("ScalingAdjustment"))
        self.assertIn(("required", "StepScalingPolicyConfiguration.StepAdjustments[1].ScalingAdjustment"),
                      rules("application-autoscaling", "PutScalingPolicy", policy))

    def test_unknown_member(self):
        self.assertIn(("unknown", "Colour"), rules("cloudwatch", "PutMetricAlarm", dict(ALARM, Colour="red")))

    def test_bad_enum(self):
        self.assertIn(("enum", "ComparisonOperator"), rules("cloudwatch", "PutMetricAlarm", dict(ALARM, ComparisonOperator="Above")))
        self.assertIn(("enum", "ScalableDimension"), rules("application-autoscaling", "RegisterScalableTarget",
                                                          dict(TARGET, ScalableDimension="sagemaker:variant:Instances")))

    def test_out_of_range_number(self):
        self.assertIn(("range", "EvaluationPeriods"), rules("cloudwatch", "PutMetricAlarm", dict(ALARM, EvaluationPeriods=0)))

    def test_too_long_string(self):
        self.assertIn(("length", "AlarmName"), rules("cloudwatch", "PutMetricAlarm", dict(ALARM, AlarmName="a" * 256)))
        self.assertIn(("length", "PolicyName"), rules("application-autoscaling", "PutScalingPolicy", dict(STEP_POLICY, PolicyName="p" * 257)))

    def test_pattern(self):
        self.assertIn(("pattern", "PolicyName"), rules("application-autoscaling", "PutScalingPolicy", dict(STEP_POLICY, PolicyName="tab\there")))

    def test_wrong_type(self):
        self.assertIn(("type", "MinCapacity"), rules("application-autoscaling", "RegisterScalableTarget", dict(TARGET, MinCapacity="1")))

    def test_unset_return_data_in_metric_math(self):
        policy = changed(MATH_POLICY, lambda r: r["TargetTrackingScalingPolicyConfiguration"]["CustomizedMetricSpecification"]["Metrics"][0].pop("ReturnData"))
        found = rules("application-autoscaling", "PutScalingPolicy", policy)
        self.assertIn(("metric-math", "TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics[0].ReturnData"), found)
        alarm = changed(MATH_ALARM, lambda r: r["Metrics"][0].pop("ReturnData"))
        self.assertIn(("metric-math", "Metrics[0].ReturnData"), rules("cloudwatch", "PutMetricAlarm", alarm))

    def test_no_query_returning_data(self):
        alarm = changed(MATH_ALARM, lambda r: r["Metrics"][1].update(ReturnData=False))
        self.assertIn(("metric-math", "Metrics"), rules("cloudwatch", "PutMetricAlarm", alarm))

    def test_bad_unit(self):
        self.assertIn(("enum", "Unit"), rules("cloudwatch", "PutMetricAlarm", dict(ALARM, Unit="percent")))
        policy = changed(MATH_POLICY, lambda r: r["TargetTrackingScalingPolicyConfiguration"]["CustomizedMetricSpecification"]["Metrics"][0]["MetricStat"].update(Unit="Cores"))
        self.assertIn(("unit", "TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics[0].MetricStat.Unit"),
                      rules("application-autoscaling", "PutScalingPolicy", policy))

    def test_too_long_evaluation_window(self):
        self.assertIn(("evaluation-window", "EvaluationPeriods"), rules("cloudwatch", "PutMetricAlarm", dict(ALARM, Period=60, EvaluationPeriods=1441)))
        self.assertIn(("evaluation-window", "EvaluationPeriods"), rules("cloudwatch", "PutMetricAlarm", dict(ALARM, Period=3600, EvaluationPeriods=169)))
        math = changed(MATH_ALARM, lambda r: r.update(EvaluationPeriods=1441))
        self.assertIn(("evaluation-window", "EvaluationPeriods"), rules("cloudwatch", "PutMetricAlarm", math))

    def test_period_not_a_multiple_of_a_minute(self):
        self.assertIn(("period", "Period"), rules("cloudwatch", "PutMetricAlarm", dict(ALARM, Period=90)))

    def test_overlapping_steps(self):
        steps = [{"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 40.0, "ScalingAdjustment": 1},
                 {"MetricIntervalLowerBound": 30.0, "ScalingAdjustment": 2}]
        policy = changed(STEP_POLICY, lambda r: r["StepScalingPolicyConfiguration"].update(StepAdjustments=steps))
        self.assertIn(("step-adjustments", "StepScalingPolicyConfiguration.StepAdjustments"), rules("application-autoscaling", "PutScalingPolicy", policy))

    def test_steps_with_a_gap_or_two_open_ends(self):
        gap = [{"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 1},
               {"MetricIntervalLowerBound": 20.0, "ScalingAdjustment": 2}]
        two_open = [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}, {"MetricIntervalLowerBound": 10.0, "ScalingAdjustment": 2}]
        no_open = [{"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 1}]
        for steps in (gap, two_open, no_open):
            policy = changed(STEP_POLICY, lambda r: r["StepScalingPolicyConfiguration"].update(StepAdjustments=steps))
            messages = [v["message"] for v in smsp_contract.check("application-autoscaling", "PutScalingPolicy", policy)]
            self.assertTrue(messages, steps)


class WireDecoding(unittest.TestCase):
    """Requests as the SDKs put them on the wire: AWS Query for CloudWatch, JSON 1.1 for the others."""

    AUTH = "AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=x"

    def query(self, fields):
        body = urlencode(dict({"Action": "PutMetricAlarm", "Version": "2010-08-01"}, **fields)).encode()
        headers = {"content-type": "application/x-www-form-urlencoded; charset=utf-8", "authorization": self.AUTH}
        return smsp_contract.check_http("POST", "/", headers, body)

    def test_a_query_alarm_decodes_to_its_members(self):
        decoded = self.query({"AlarmName": "a", "MetricName": "CPUUtilization", "Namespace": "ns", "Statistic": "Average",
                              "Period": "60", "EvaluationPeriods": "2", "Threshold": "70.0",
                              "ComparisonOperator": "GreaterThanThreshold", "AlarmActions.member.1": "arn:x",
                              "Dimensions.member.1.Name": "EndpointName", "Dimensions.member.1.Value": "e",
                              "ActionsEnabled": "true"})
        self.assertEqual([], decoded.violations)
        self.assertEqual({"Name": "EndpointName", "Value": "e"}, decoded.request["Dimensions"][0])
        self.assertEqual(60, decoded.request["Period"])
        self.assertIs(True, decoded.request["ActionsEnabled"])

    def test_query_metric_math_without_return_data_is_caught(self):
        decoded = self.query({"AlarmName": "a", "EvaluationPeriods": "1", "Threshold": "1", "ComparisonOperator": "GreaterThanThreshold",
                              "Metrics.member.1.Id": "m1", "Metrics.member.1.MetricStat.Metric.MetricName": "Invocations",
                              "Metrics.member.1.MetricStat.Metric.Namespace": "AWS/SageMaker",
                              "Metrics.member.1.MetricStat.Period": "60", "Metrics.member.1.MetricStat.Stat": "Sum",
                              "Metrics.member.2.Id": "e1", "Metrics.member.2.Expression": "m1 / 60",
                              "Metrics.member.2.ReturnData": "true"})
        self.assertEqual([("metric-math", "Metrics[0].ReturnData"), ("metric-math", "Metrics")],
                         [(v["rule"], v["path"]) for v in decoded.violations])

    def test_unknown_query_fields_and_bad_numbers_are_caught(self):
        decoded = self.query({"AlarmName": "a", "MetricName": "m", "Namespace": "n", "Statistic": "Average", "Period": "sixty",
                              "EvaluationPeriods": "1", "Threshold": "1", "ComparisonOperator": "GreaterThanThreshold", "Colour": "red"})
        found = {(v["rule"], v["path"]) for v in decoded.violations}
        self.assertIn(("unknown", "Colour"), found)
        self.assertIn(("type", "Period"), found)

    def test_json_requests_are_found_by_their_target(self):
        headers = {"x-amz-target": "AnyScaleFrontendService.RegisterScalableTarget", "content-type": "application/x-amz-json-1.1"}
        decoded = smsp_contract.check_http("POST", "/", headers, json.dumps(dict(TARGET, ServiceNamespace="sage")).encode())
        self.assertEqual(("application-autoscaling", "RegisterScalableTarget"), (decoded.service, decoded.operation))
        self.assertEqual([("enum", "ServiceNamespace")], [(v["rule"], v["path"]) for v in decoded.violations])

    def test_other_services_are_not_checked(self):
        headers = {"x-amz-target": "DynamoDB_20120810.ListTables", "content-type": "application/x-amz-json-1.0"}
        self.assertIsNone(smsp_contract.check_http("POST", "/", headers, b"{}"))

    def test_a_rejection_is_answered_in_the_protocols_error_format(self):
        decoded = self.query({"AlarmName": "a" * 300, "MetricName": "m", "Namespace": "n", "Statistic": "Average", "Period": "60",
                              "EvaluationPeriods": "1", "Threshold": "1", "ComparisonOperator": "GreaterThanThreshold"})
        status, headers, body = smsp_contract.error_response(decoded)
        self.assertEqual(400, status)
        self.assertIn(b"<Code>ValidationError</Code>", body)
        headers = {"x-amz-target": "AnyScaleFrontendService.PutScalingPolicy"}
        decoded = smsp_contract.check_http("POST", "/", headers, json.dumps({"PolicyName": "p"}).encode())
        status, headers, body = smsp_contract.error_response(decoded)
        self.assertEqual("ValidationException", json.loads(body)["__type"])


class ModelPatterns(unittest.TestCase):
    def test_every_pattern_of_the_three_models_compiles(self):
        for service in smsp_contract.SERVICES:
            model = smsp_contract.service_model(service)
            for name in model.shape_names:
                pattern = model.shape_for(name).metadata.get("pattern")
                if pattern:
                    smsp_contract.compiled_pattern(pattern)

    def test_java_classes_mean_what_java_means(self):
        printable = smsp_contract.compiled_pattern(r"\p{Print}+")
        self.assertTrue(printable.fullmatch("policy name"))
        self.assertFalse(printable.fullmatch("name\x01"))
        text = smsp_contract.compiled_pattern(r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*")
        self.assertTrue(text.fullmatch("emoji \U0001F600 ok"))
        self.assertFalse(text.fullmatch("bell \x07"))


if __name__ == "__main__":
    unittest.main()
