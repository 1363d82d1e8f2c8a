"""The extended moto_server end to end, over HTTP with boto3: contract log, AWS semantics, clock, activities."""

import json
import os
import sys
import threading
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

import smsp_moto_server  # noqa: E402

RID = "endpoint/ep/variant/AllTraffic"
DIM = "sagemaker:variant:DesiredInstanceCount"
TARGET = {"ServiceNamespace": "sagemaker", "ResourceId": RID, "ScalableDimension": DIM}


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class ExtendedMotoServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        smsp_moto_server.install()
        import moto.server as moto_server

        app = moto_server.DomainDispatcherApplication(moto_server.create_backend_app)
        cls.server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.url = f"http://127.0.0.1:{cls.server.server_port}"
        options = dict(endpoint_url=cls.url, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
        cls.aas = boto3.client("application-autoscaling", **options)
        cls.cw = boto3.client("cloudwatch", **options)
        cls.sm = boto3.client("sagemaker", **options)

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        with urllib.request.urlopen(urllib.request.Request(self.url + path, data=data, method=method)) as response:
            return json.loads(response.read() or b"null")

    def setUp(self):
        self.call("POST", "/moto-api/reset")

    def register(self, **bounds):
        self.aas.register_scalable_target(**TARGET, **(bounds or {"MinCapacity": 1, "MaxCapacity": 2}))

    def put_policy(self, name):
        self.aas.put_scaling_policy(PolicyName=name, PolicyType="StepScaling", **TARGET, StepScalingPolicyConfiguration={
            "AdjustmentType": "ChangeInCapacity", "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}]})

    def test_violations_are_recorded_passed_on_and_cleared_by_reset(self):
        self.cw.put_metric_alarm(AlarmName="a", Namespace="n", MetricName="m", Statistic="Average", Period=60,
                                 EvaluationPeriods=1441, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
        violations = self.call("GET", "/_smsp/contract-violations")
        self.assertEqual([("PutMetricAlarm", "evaluation-window", "EvaluationPeriods")],
                         [(v["operation"], v["rule"], v["path"]) for v in violations])
        self.assertEqual(1, len(self.cw.describe_alarms()["MetricAlarms"]), "passed on to moto")
        self.call("POST", "/moto-api/reset")
        self.assertEqual([], self.call("GET", "/_smsp/contract-violations"))

    def test_reject_mode_answers_like_aws(self):
        self.call("POST", "/_smsp/contract-mode", {"reject": True})
        with self.assertRaises(ClientError) as caught:
            self.aas.register_scalable_target(**TARGET, MinCapacity=1)
        self.assertEqual("ValidationException", caught.exception.response["Error"]["Code"])
        self.assertEqual([], self.aas.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"])

    def test_policies_need_a_target_are_found_by_name_and_go_with_it(self):
        with self.assertRaises(ClientError) as caught:
            self.put_policy("early")
        self.assertEqual("ObjectNotFoundException", caught.exception.response["Error"]["Code"])
        self.register()
        for name in ("a", "b"):
            self.put_policy(name)
        self.aas.put_scheduled_action(**TARGET, ScheduledActionName="s", Schedule="rate(1 hour)", ScalableTargetAction={"MinCapacity": 2})
        found = self.aas.describe_scaling_policies(ServiceNamespace="sagemaker", PolicyNames=["b"])["ScalingPolicies"]
        self.assertEqual(["b"], [p["PolicyName"] for p in found])
        self.aas.deregister_scalable_target(**TARGET)
        self.assertEqual([], self.aas.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"])
        self.assertEqual([], self.aas.describe_scheduled_actions(ServiceNamespace="sagemaker")["ScheduledActions"])
        with self.assertRaises(ClientError) as caught:
            self.aas.delete_scheduled_action(**TARGET, ScheduledActionName="s")
        self.assertEqual("ObjectNotFoundException", caught.exception.response["Error"]["Code"])

    def test_policies_come_in_pages_of_ten(self):
        self.register()
        for i in range(12):
            self.put_policy(f"p{i}")
        first = self.aas.describe_scaling_policies(ServiceNamespace="sagemaker")
        self.assertEqual(10, len(first["ScalingPolicies"]))
        rest = self.aas.describe_scaling_policies(ServiceNamespace="sagemaker", NextToken=first["NextToken"])
        self.assertEqual(2, len(rest["ScalingPolicies"]))

    def test_scheduled_actions_come_in_pages(self):
        self.register()
        for i in range(3):
            self.aas.put_scheduled_action(**TARGET, ScheduledActionName=f"s{i}", Schedule="rate(1 hour)", ScalableTargetAction={"MinCapacity": 1})
        first = self.aas.describe_scheduled_actions(ServiceNamespace="sagemaker", MaxResults=2)
        rest = self.aas.describe_scheduled_actions(ServiceNamespace="sagemaker", MaxResults=2, NextToken=first["NextToken"])
        self.assertEqual(["s0", "s1", "s2"], [a["ScheduledActionName"] for a in first["ScheduledActions"] + rest["ScheduledActions"]])
        self.assertNotIn("NextToken", rest)

    def test_a_target_without_role_reports_the_service_linked_role_and_no_suspension(self):
        self.register()
        target = self.aas.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"][0]
        self.assertTrue(target["RoleARN"].endswith(":role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
                                                   "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"))
        self.assertEqual({"DynamicScalingInSuspended": False, "DynamicScalingOutSuspended": False, "ScheduledScalingSuspended": False},
                         target["SuspendedState"])

    def test_a_schedule_aws_would_not_parse_is_rejected(self):
        self.register()
        with self.assertRaises(ClientError) as caught:
            self.aas.put_scheduled_action(**TARGET, ScheduledActionName="s", Schedule="cron(0 1 * * * *)", ScalableTargetAction={"MinCapacity": 2})
        self.assertEqual("ValidationException", caught.exception.response["Error"]["Code"])

    def test_the_clock_runs_due_actions_once_and_skips_suspended_targets(self):
        self.register()
        self.call("POST", "/_smsp/clock", {"now": "2030-01-01T00:30:00Z"})
        self.aas.put_scheduled_action(**TARGET, ScheduledActionName="hourly", Schedule="cron(0 * * * ? *)", ScalableTargetAction={"MinCapacity": 2, "MaxCapacity": 5})
        ran = self.call("POST", "/_smsp/clock", {"now": "2030-01-01T03:10:00Z"})["ran"]
        self.assertEqual(["2030-01-01T03:00:00+00:00"], [r["at"] for r in ran])
        target = self.aas.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"][0]
        self.assertEqual((2, 5), (target["MinCapacity"], target["MaxCapacity"]))
        self.assertEqual([], self.call("POST", "/_smsp/clock", {"now": "2030-01-01T03:20:00Z"})["ran"])
        self.aas.register_scalable_target(**TARGET, SuspendedState={"ScheduledScalingSuspended": True})
        self.assertEqual([], self.call("POST", "/_smsp/clock", {"now": "2030-01-01T05:00:00Z"})["ran"])

    def test_activities_added_by_tests_are_filtered_as_aws_filters_them(self):
        self.register()
        self.call("POST", "/_smsp/activities", [
            {"ResourceId": RID, "ScalableDimension": DIM, "Description": "Setting desired instance count to 2.",
             "Cause": "monitor alarm x in state ALARM triggered policy y", "StartTime": "2030-01-01T00:00:00Z"},
            {"ResourceId": RID, "ScalableDimension": DIM, "StartTime": "2030-01-01T01:00:00Z",
             "NotScaledReasons": [{"Code": "AlreadyAtMaxCapacity", "MaxCapacity": 2, "CurrentCapacity": 2}]}])
        scaled = self.aas.describe_scaling_activities(ServiceNamespace="sagemaker", ResourceId=RID, ScalableDimension=DIM)["ScalingActivities"]
        self.assertEqual(["Successful"], [a["StatusCode"] for a in scaled])
        every = self.aas.describe_scaling_activities(ServiceNamespace="sagemaker", IncludeNotScaledActivities=True)["ScalingActivities"]
        self.assertEqual(["AlreadyAtMaxCapacity"], [r["Code"] for r in every[0]["NotScaledReasons"]], "newest first")
        self.assertEqual(2, len(every))

    def test_set_alarm_state_shows_in_describe_alarms(self):
        self.cw.put_metric_alarm(AlarmName="cpu", Namespace="n", MetricName="m", Statistic="Average", Period=60,
                                 EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
        created = self.cw.describe_alarms()["MetricAlarms"][0]["StateUpdatedTimestamp"]
        self.cw.set_alarm_state(AlarmName="cpu", StateValue="ALARM", StateReason="Threshold Crossed: test")
        alarm = self.cw.describe_alarms()["MetricAlarms"][0]
        self.assertEqual(("ALARM", "Threshold Crossed: test"), (alarm["StateValue"], alarm["StateReason"]))
        self.assertGreaterEqual(alarm["StateUpdatedTimestamp"], created)
        self.assertEqual([], self.call("GET", "/_smsp/contract-violations"))

    def test_an_activity_that_is_no_scaling_activity_is_refused(self):
        with self.assertRaises(urllib.error.HTTPError) as caught:
            self.call("POST", "/_smsp/activities", {"ResourceId": RID, "ScalableDimension": DIM, "StatusCode": "Done"})
        self.assertEqual(400, caught.exception.code)


    def test_an_endpoint_status_set_by_tag_shows_in_list_endpoints_and_moves_last_modified(self):
        self.sm.create_model(ModelName="m", ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
                             PrimaryContainer={"Image": "i"})
        self.sm.create_endpoint_config(EndpointConfigName="c", ProductionVariants=[
            {"VariantName": "AllTraffic", "ModelName": "m", "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}])
        arn = self.sm.create_endpoint(EndpointName="listed", EndpointConfigName="c")["EndpointArn"]
        before = self.sm.list_endpoints(MaxResults=100)["Endpoints"][0]

        self.sm.add_tags(ResourceArn=arn, Tags=[{"Key": "smsp-test/status", "Value": "Updating"}])
        after = self.sm.list_endpoints(MaxResults=100)["Endpoints"][0]

        self.assertEqual(("listed", "Updating"), (after["EndpointName"], after["EndpointStatus"]))
        self.assertGreater(after["LastModifiedTime"], before["LastModifiedTime"])
        self.assertEqual("Updating", self.sm.describe_endpoint(EndpointName="listed")["EndpointStatus"])
        self.assertEqual([], self.call("GET", "/_smsp/contract-violations"))


if __name__ == "__main__":
    unittest.main()
