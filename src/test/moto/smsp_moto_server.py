"""moto_server with the AWS behaviours the operator's tests need and moto 5.2 lacks.

Run it exactly like moto_server (same flags). Each extension follows the AWS API reference:

1. Application Auto Scaling accepts the SageMaker dimensions moto's enum lacks:
   sagemaker:variant:DesiredProvisionedConcurrency (serverless) and
   sagemaker:inference-component:DesiredCopyCount (inference components).
2. Scalable targets keep the Tags given to RegisterScalableTarget when they are created, and
   TagResource / UntagResource / ListTagsForResource work on scalable-target ARNs.
3. SageMaker CreateInferenceComponent / DescribeInferenceComponent / DeleteInferenceComponent, with the
   component InService at once (as moto's endpoints are) and RuntimeConfig copy counts; and
   ListInferenceComponents as the SageMaker API reference has it: InferenceComponentSummary items
   (CreationTime, InferenceComponentArn, InferenceComponentName, EndpointArn, EndpointName, VariantName,
   InferenceComponentStatus, LastModifiedTime), sorted by CreationTime, Descending unless SortOrder says
   otherwise ("The default is Descending"), in pages of MaxResults ("defaults to 10", 1 to 100) with a
   NextToken, filtered by EndpointNameEquals and StatusEquals. A copy-count change made by Application
   Auto Scaling (an UpdateInferenceComponentRuntimeConfig on AWS) moves the component's LastModifiedTime
   ("The time when the inference component was last updated").
4. DescribeScalingActivities answers from a scaling-activity history in the shape of the API reference
   (ScalingActivity, with NotScaledReasons only when IncludeNotScaledActivities is true; newest first; pages
   of MaxResults, default 50), where moto raises NotImplementedError. Scheduled actions that fire (7) add
   to it, and so do tests: POST /_smsp/activities with one ScalingActivity (or a list) adds scaled or
   not-scaled activities (NotScaledReasons such as {"Code": "AlreadyAtMaxCapacity", "MaxCapacity": 4,
   "CurrentCapacity": 4}); ActivityId, ServiceNamespace (sagemaker), StartTime (the clock's now), StatusCode
   (Successful, or Failed with NotScaledReasons), Description and Cause are filled in when left out.
5. SageMaker endpoint status transitions, which moto does not model (its endpoints are InService at
   once): an endpoint tagged `smsp-test/status=<EndpointStatus>` reports that status from
   DescribeEndpoint and ListEndpoints, so tests can put an endpoint into Updating or SystemUpdating and
   back. Setting or removing that tag, and a capacity change made by Application Auto Scaling (which on
   AWS is an UpdateEndpointWeightsAndCapacities), move the endpoint's LastModifiedTime, as every
   update of an endpoint does on AWS ("LastModifiedTime: A timestamp that shows when the endpoint was
   last modified", EndpointSummary and DescribeEndpoint in the SageMaker API reference); moto leaves
   it at the creation time.
6. Application Auto Scaling behaviours the tests lean on, as AWS documents them:
   - DescribeScalingPolicies honours PolicyNames, matches ResourceId and ScalableDimension exactly (moto
     matches substrings) and answers in pages of MaxResults, "between 1 and 10. The default value is 10";
     DescribeScheduledActions answers in pages too (default 50), where moto returns everything at once.
     DescribeScalableTargets answers in pages of MaxResults ("between 1 and 50. The default value is 50")
     whose NextToken leads to the next page; moto's token is the size of the page it returned, so beyond
     100 targets it hands out the second page for ever.
   - PutScalingPolicy and PutScheduledAction on a target that is not registered fail with
     ObjectNotFoundException ("You cannot create a scaling policy until you have registered the resource as
     a scalable target"; the same sentence for scheduled actions).
   - DeregisterScalableTarget "deletes the scaling policies and the scheduled actions that are associated
     with it"; a missing target, policy or scheduled action to deregister or delete is
     ObjectNotFoundException (the operations' documented error), where moto says ValidationException or
     nothing.
   - A target registered without RoleARN reports the service-linked role
     arn:aws:iam::<account>:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/
     AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint ("Application Auto Scaling uses the
     service-linked role", Application Auto Scaling User Guide, SageMaker AI integration), and without
     SuspendedState all three flags false (SuspendedState: each flag "default false").
   - PutScheduledAction rejects a Schedule or Timezone AWS would not parse with ValidationException.
7. Scheduled actions fire as Application Auto Scaling fires them (at(), rate(), 6-field cron() in Timezone,
   bounded by StartTime/EndTime; see smsp_schedule.py), on a clock the test controls:
   POST /_smsp/clock {"now": "<ISO instant>"} sets the clock and runs every action due since the previous
   clock time (before the first call the clock is the wall clock). Running an action sets the target's
   MinCapacity/MaxCapacity from ScalableTargetAction and records a scaling activity ("Setting min capacity
   to 4 and max capacity to 8", cause "scheduled action name <n> was triggered"); when the current capacity
   of the endpoint variant, serverless variant or inference component falls outside the new bounds it is
   set to the nearest bound, as AWS scales to the new minimum or maximum, with an activity of its own. An
   action whose target has ScheduledScalingSuspended does not run. When the clock jumps over several runs
   of one action, it runs once, at its latest time (the bounds it leaves are the same).
   GET /_smsp/clock answers {"now": ...}.
8. A contract check on every request to Application Auto Scaling, CloudWatch and SageMaker against
   botocore's service models plus the documented cross-field rules (smsp_contract.py has the list and the
   references), and "MinCapacity and MaxCapacity are required when you register a new scalable target"
   (RegisterScalableTarget). GET /_smsp/contract-violations lists what broke a rule (service, operation,
   rule, member path, message, the request). A violating request is recorded and then passed on to moto
   unchanged: AWS would answer 400, but the operator treats a 400 as terminal and stops retrying, so the
   test would time out waiting for the object instead of failing on the rule; the test fixture fails every
   test whose list is not empty, with the rule. POST /_smsp/contract-mode {"reject": true} makes the
   server answer violations with AWS's error (ValidationException; for CloudWatch MissingParameter,
   InvalidParameterValue, InvalidParameterCombination or ValidationError) for tests of that path. Each
   violation is also written to stderr ("smsp contract violation: {...}", in target/moto_server.log), which
   keeps them across resets.
9. PutScalingPolicy with TargetTrackingScaling on a SageMaker target (variant, serverless variant or
   inference component) creates the two CloudWatch alarms Application Auto Scaling creates and owns for it,
   where moto 5.2 does so only for DynamoDB and ECS: TargetTracking-<ResourceId>-AlarmHigh-<uuid> and
   TargetTracking-<ResourceId>-AlarmLow-<uuid>, described "DO NOT EDIT OR DELETE. For TargetTrackingScaling
   policy <arn>", on the policy's metric (the predefined type's SageMaker metric, or the customized one);
   PutScalingPolicy and DescribeScalingPolicies list them in the policy's Alarms (AlarmName, AlarmARN), as
   "The CloudWatch alarms created for the target tracking scaling policy" (PutScalingPolicy response and
   ScalingPolicy.Alarms in the Application Auto Scaling API reference; "Do not edit or delete the CloudWatch
   alarms that are configured for the target tracking scaling policy", Target tracking scaling policies in
   the Application Auto Scaling User Guide). Putting the policy again replaces both alarms (moto leaves the
   old ones behind); deleting the policy or deregistering its target deletes them. They start in the state
   moto gives every new alarm; tests move them with CloudWatch SetAlarmState.

Everything is reset by POST /moto-api/reset like the rest of moto (the history, violations, contract mode and
the clock with it).
"""

import io
import json
import os
import re
import sys
import threading
import uuid
from datetime import datetime, timezone
from enum import Enum
from http import HTTPStatus

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import smsp_contract  # noqa: E402
import smsp_schedule  # noqa: E402

from moto.applicationautoscaling import models as aas_models
from moto.applicationautoscaling import responses as aas_responses
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.sagemaker import responses as sm_responses
from moto.sagemaker.exceptions import ValidationError
from moto.server import main

EXTRA_DIMENSIONS = {
    "SAGEMAKER_VARIANT_DESIRED_PROVISIONED_CONCURRENCY": "sagemaker:variant:DesiredProvisionedConcurrency",
    "SAGEMAKER_INFERENCE_COMPONENT_DESIRED_COPY_COUNT": "sagemaker:inference-component:DesiredCopyCount",
}


def _extend_dimensions():
    members = {m.name: m.value for m in aas_models.ScalableDimensionValueSet}
    members.update(EXTRA_DIMENSIONS)
    extended = Enum("ScalableDimensionValueSet", members)
    aas_models.ScalableDimensionValueSet = extended
    aas_responses.ScalableDimensionValueSet = extended


def _tags(backend):
    if not hasattr(backend, "smsp_target_tags"):
        backend.smsp_target_tags = {}
    return backend.smsp_target_tags


def _extend_target_tags():
    response = aas_responses.ApplicationAutoScalingResponse
    original_register = response.register_scalable_target

    def register_scalable_target(self):
        backend = self.applicationautoscaling_backend
        existed = backend._scalable_target_exists(self._get_param("ResourceId"), self._get_param("ScalableDimension"))
        body = original_register(self)
        tags = self._get_param("Tags")
        if tags and not existed:
            _tags(backend)[json.loads(body)["ScalableTargetARN"]] = dict(tags)
        return body

    def _known_arn(self, arn):
        backend = self.applicationautoscaling_backend
        for by_id in list(backend.targets.values()):
            for target in list(by_id.values()):
                if target.arn == arn:
                    return True
        return False

    def _not_found(arn):
        return json.dumps({"__type": "ResourceNotFoundException", "message": f"Resource not found: {arn}"}), 400

    def tag_resource(self):
        arn = self._get_param("ResourceARN")
        if not _known_arn(self, arn):
            return _not_found(arn)
        _tags(self.applicationautoscaling_backend).setdefault(arn, {}).update(self._get_param("Tags") or {})
        return json.dumps({})

    def untag_resource(self):
        arn = self._get_param("ResourceARN")
        if not _known_arn(self, arn):
            return _not_found(arn)
        for key in self._get_param("TagKeys") or []:
            _tags(self.applicationautoscaling_backend).get(arn, {}).pop(key, None)
        return json.dumps({})

    def list_tags_for_resource(self):
        arn = self._get_param("ResourceARN")
        if not _known_arn(self, arn):
            return _not_found(arn)
        return json.dumps({"Tags": _tags(self.applicationautoscaling_backend).get(arn, {})})

    response.register_scalable_target = register_scalable_target
    response.tag_resource = tag_resource
    response.untag_resource = untag_resource
    response.list_tags_for_resource = list_tags_for_resource


def _components(backend):
    if not hasattr(backend, "smsp_inference_components"):
        backend.smsp_inference_components = {}
    return backend.smsp_inference_components


def _extend_inference_components():
    response = sm_responses.SageMakerResponse

    def create_inference_component(self):
        backend = self.sagemaker_backend
        name = self._get_param("InferenceComponentName")
        endpoint_name = self._get_param("EndpointName")
        backend.describe_endpoint(endpoint_name)  # ValidationException when the endpoint is missing
        copies = (self._get_param("RuntimeConfig") or {}).get("CopyCount", 1)
        now = datetime.now(timezone.utc)
        arn = f"arn:aws:sagemaker:{self.region}:{self.current_account}:inference-component/{name}"
        _components(backend)[name] = {
            "InferenceComponentName": name,
            "InferenceComponentArn": arn,
            "EndpointName": endpoint_name,
            "EndpointArn": f"arn:aws:sagemaker:{self.region}:{self.current_account}:endpoint/{endpoint_name}",
            "VariantName": self._get_param("VariantName"),
            "InferenceComponentStatus": "InService",
            "RuntimeConfig": {"DesiredCopyCount": copies, "CurrentCopyCount": copies},
            "CreationTime": now,
            "LastModifiedTime": now,
        }
        return ActionResult({"InferenceComponentArn": arn})

    def describe_inference_component(self):
        name = self._get_param("InferenceComponentName")
        component = _components(self.sagemaker_backend).get(name)
        if component is None:
            raise ValidationError(message=f"Could not find inference component '{name}'.")
        return ActionResult(component)

    def delete_inference_component(self):
        name = self._get_param("InferenceComponentName")
        if _components(self.sagemaker_backend).pop(name, None) is None:
            raise ValidationError(message=f"Could not find inference component '{name}'.")
        return EmptyResult()

    def list_inference_components(self):
        listed = list(_components(self.sagemaker_backend).values())
        endpoint = self._get_param("EndpointNameEquals")
        status = self._get_param("StatusEquals")
        listed = [c for c in listed
                  if (endpoint is None or c["EndpointName"] == endpoint)
                  and (status is None or c["InferenceComponentStatus"] == status)]
        listed.sort(key=lambda c: (c["CreationTime"], c["InferenceComponentName"]),
                    reverse=self._get_param("SortOrder", "Descending") == "Descending")
        start = int(self._get_param("NextToken") or 0)
        size = min(max(int(self._get_param("MaxResults") or 10), 1), 100)
        page = listed[start:start + size]
        summary_keys = ("CreationTime", "InferenceComponentArn", "InferenceComponentName", "EndpointArn",
                        "EndpointName", "VariantName", "InferenceComponentStatus", "LastModifiedTime")
        result = {"InferenceComponents": [{k: c[k] for k in summary_keys if c.get(k) is not None} for c in page]}
        if start + size < len(listed):
            result["NextToken"] = str(start + size)
        return ActionResult(result)

    response.create_inference_component = create_inference_component
    response.list_inference_components = list_inference_components
    response.describe_inference_component = describe_inference_component
    response.delete_inference_component = delete_inference_component


STATUS_TAG = "smsp-test/status"


def _extend_endpoint_status():
    response = sm_responses.SageMakerResponse
    original_describe = response.describe_endpoint

    def describe_endpoint(self):
        result = original_describe(self)
        endpoint = result.result
        tags = self.sagemaker_backend._get_resource_from_arn(endpoint["EndpointArn"]).tags
        status = next((t["Value"] for t in tags if t["Key"] == STATUS_TAG), None)
        if status:
            endpoint = dict(endpoint, EndpointStatus=status)
        return ActionResult(endpoint)

    response.describe_endpoint = describe_endpoint

    original_list = response.list_endpoints

    def list_endpoints(self):
        result = original_list(self)
        listed = []
        for summary in result.result["Endpoints"]:
            tags = self.sagemaker_backend._get_resource_from_arn(summary["EndpointArn"]).tags
            status = next((t["Value"] for t in tags if t["Key"] == STATUS_TAG), None)
            listed.append(dict(summary, EndpointStatus=status) if status else summary)
        return ActionResult(dict(result.result, Endpoints=listed))

    response.list_endpoints = list_endpoints

    def touching_status(original, keys_of):
        def tagged(self):
            result = original(self)
            arn = self._get_param("ResourceArn")
            if STATUS_TAG in keys_of(self) and ":endpoint/" in (arn or ""):
                _endpoint_modified(self.sagemaker_backend._get_resource_from_arn(arn))
            return result
        return tagged

    response.add_tags = touching_status(response.add_tags,
                                        lambda r: [t.get("Key") for t in r._get_param("Tags") or []])
    response.delete_tags = touching_status(response.delete_tags, lambda r: r._get_param("TagKeys") or [])


def _endpoint_modified(endpoint):
    """An endpoint was updated: SageMaker moves its LastModifiedTime."""
    if endpoint is not None and hasattr(endpoint, "last_modified_time"):
        endpoint.last_modified_time = utcnow()



# --- 6. Application Auto Scaling behaviours as AWS documents them ----------------------------------------------

SERVICE_LINKED_ROLE = ("arn:aws:iam::{account}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
                       "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint")
NO_SUSPENSION = {"DynamicScalingInSuspended": False, "DynamicScalingOutSuspended": False, "ScheduledScalingSuspended": False}
POLICY_PAGE = 10
ACTION_PAGE = 50
TARGET_PAGE = 50


class ObjectNotFound(JsonRESTError):
    def __init__(self, message):
        super().__init__("ObjectNotFoundException", message)


def _target_of(backend, resource_id, dimension):
    return backend.targets.get(dimension, {}).get(resource_id)


def _require_target(self, what):
    namespace, resource_id, dimension = (self._get_param(p) for p in ("ServiceNamespace", "ResourceId", "ScalableDimension"))
    if _target_of(self.applicationautoscaling_backend, resource_id, dimension) is None:
        raise ObjectNotFound(f"No scalable target registered for service namespace: {namespace}, resource ID: "
                             f"{resource_id}, scalable dimension: {dimension}; {what} needs a registered target")


def _extend_autoscaling_semantics():
    response = aas_responses.ApplicationAutoScalingResponse
    original_register = response.register_scalable_target
    original_put_policy = response.put_scaling_policy
    original_delete_policy = response.delete_scaling_policy
    original_put_action = response.put_scheduled_action
    original_delete_action = response.delete_scheduled_action
    original_describe_actions = response.describe_scheduled_actions
    original_validate = response._validate_params

    def register_scalable_target(self):
        body = original_register(self)
        target = _target_of(self.applicationautoscaling_backend, self._get_param("ResourceId"), self._get_param("ScalableDimension"))
        if target.role_arn is None and target.service_namespace == "sagemaker":
            target.role_arn = SERVICE_LINKED_ROLE.format(account=self.current_account)
        target.suspended_state = dict(NO_SUSPENSION, **(target.suspended_state or {}))
        return body

    def describe_scalable_targets(self):
        original_validate(self)
        targets = self.applicationautoscaling_backend.describe_scalable_targets(
            self._get_param("ServiceNamespace"), self._get_param("ResourceIds"), self._get_param("ScalableDimension"))
        page, token = _page(list(targets), self._get_param("NextToken"), self._get_int_param("MaxResults") or TARGET_PAGE)
        return json.dumps({"ScalableTargets": [aas_responses._build_target(t) for t in page], "NextToken": token})

    def put_scaling_policy(self):
        _require_target(self, "PutScalingPolicy")
        return original_put_policy(self)

    def describe_scaling_policies(self):
        names = self._get_param("PolicyNames")
        resource_id = self._get_param("ResourceId")
        dimension = self._get_param("ScalableDimension")
        # moto_server answers on many threads; copy before filtering so a concurrent put cannot break the loop.
        policies = [p for p in list(self.applicationautoscaling_backend.policies.values())
                    if p.service_namespace == self._get_param("ServiceNamespace")
                    and (resource_id is None or p.resource_id == resource_id)
                    and (dimension is None or p.scalable_dimension == dimension)
                    and (not names or p.policy_name in names)]
        page, token = _page(policies, self._get_param("NextToken"), self._get_int_param("MaxResults") or POLICY_PAGE)
        return json.dumps({"ScalingPolicies": [aas_responses._build_policy(p) for p in page], "NextToken": token})

    def delete_scaling_policy(self):
        try:
            return original_delete_policy(self)
        except aas_models.AWSValidationException as e:
            raise ObjectNotFound(e.message) from e

    def deregister_scalable_target(self):
        backend = self.applicationautoscaling_backend
        key = tuple(self._get_param(p) for p in ("ServiceNamespace", "ResourceId", "ScalableDimension"))
        if _target_of(backend, key[1], key[2]) is None:
            raise ObjectNotFound(f"No scalable target found for service namespace: {key[0]}, resource ID: {key[1]}, "
                                 f"scalable dimension: {key[2]}")
        for policy_key, policy in list(backend.policies.items()):
            if (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == key:
                policy.delete_alarms(backend.account_id, backend.region_name)
                del backend.policies[policy_key]
        backend.scheduled_actions = [a for a in backend.scheduled_actions
                                     if (a.service_namespace, a.resource_id, a.scalable_dimension) != key]
        backend.deregister_scalable_target(*key)
        return json.dumps({})

    def put_scheduled_action(self):
        _require_target(self, "PutScheduledAction")
        try:
            smsp_schedule.parse(self._get_param("Schedule"), self._get_param("Timezone"))
        except smsp_schedule.ScheduleError as e:
            raise aas_models.AWSValidationException(str(e)) from e
        body = original_put_action(self)
        for action in self.applicationautoscaling_backend.scheduled_actions:
            if not hasattr(action, "smsp_created_at"):
                action.smsp_created_at = CLOCK.now()
        return body

    def delete_scheduled_action(self):
        backend = self.applicationautoscaling_backend
        key = tuple(self._get_param(p) for p in ("ServiceNamespace", "ScheduledActionName", "ResourceId", "ScalableDimension"))
        if not any((a.service_namespace, a.scheduled_action_name, a.resource_id, a.scalable_dimension) == key
                   for a in backend.scheduled_actions):
            raise ObjectNotFound(f"No scheduled action found for service namespace: {key[0]}, scheduled action name: "
                                 f"{key[1]}, resource ID: {key[2]}, scalable dimension: {key[3]}")
        return original_delete_action(self)

    def describe_scheduled_actions(self):
        listed = json.loads(original_describe_actions(self))["ScheduledActions"]
        page, token = _page(listed, self._get_param("NextToken"), self._get_int_param("MaxResults") or ACTION_PAGE)
        return json.dumps({"ScheduledActions": page, "NextToken": token})

    response.register_scalable_target = register_scalable_target
    response.describe_scalable_targets = describe_scalable_targets
    response.describe_scheduled_actions = describe_scheduled_actions
    response.put_scaling_policy = put_scaling_policy
    response.describe_scaling_policies = describe_scaling_policies
    response.delete_scaling_policy = delete_scaling_policy
    response.deregister_scalable_target = deregister_scalable_target
    response.put_scheduled_action = put_scheduled_action
    response.delete_scheduled_action = delete_scheduled_action


# --- 9. target-tracking alarms of SageMaker policies -------------------------------------------------------

# The CloudWatch metric behind each SageMaker predefined metric type, with the dimensions of the resource id.
TRACKED_METRICS = {
    "SageMakerVariantInvocationsPerInstance": "InvocationsPerInstance",
    "SageMakerVariantProvisionedConcurrencyUtilization": "ServerlessProvisionedConcurrencyUtilization",
    "SageMakerVariantConcurrentRequestsPerModelHighResolution": "ConcurrentRequestsPerModel",
    "SageMakerInferenceComponentInvocationsPerCopy": "InvocationsPerCopy",
    "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution": "ConcurrentRequestsPerCopy",
}


def _tracked_metric(resource_id, config):
    custom = config.get("CustomizedMetricSpecification")
    if custom:
        if custom.get("Metrics"):
            stat = next((q["MetricStat"] for q in custom["Metrics"] if q.get("MetricStat")), None)
            if stat:
                m = stat["Metric"]
                return m.get("Namespace"), m.get("MetricName"), m.get("Dimensions", []), stat.get("Stat", "Average")
            return "AWS/SageMaker", "MetricMath", [], "Average"
        return (custom.get("Namespace"), custom.get("MetricName"), custom.get("Dimensions", []),
                custom.get("Statistic", "Average"))
    kind = config.get("PredefinedMetricSpecification", {}).get("PredefinedMetricType", "")
    parts = resource_id.split("/")
    if parts[0] == "inference-component":
        dimensions = [{"Name": "InferenceComponentName", "Value": parts[1]}]
    else:
        dimensions = [{"Name": "EndpointName", "Value": parts[1]}, {"Name": "VariantName", "Value": parts[3]}]
    return "AWS/SageMaker", TRACKED_METRICS.get(kind, kind), dimensions, "Average"


def _sagemaker_tracking_alarms(policy):
    from moto.cloudwatch.models import cloudwatch_backends

    cloudwatch = cloudwatch_backends[policy.account_id][policy.region_name]
    config = policy.target_tracking_scaling_policy_configuration or {}
    namespace, metric, dimensions, statistic = _tracked_metric(policy.resource_id, config)
    target = float(config.get("TargetValue", 0))
    action = f"{policy.policy_arn}:createdBy/{uuid.uuid4()}"
    alarms = []
    for side, operator, periods, threshold in (("AlarmHigh", "GreaterThanThreshold", 3, target),
                                               ("AlarmLow", "LessThanThreshold", 15, target * 0.9)):
        alarms.append(cloudwatch.put_metric_alarm(
            name=f"TargetTracking-{policy.resource_id}-{side}-{uuid.uuid4()}",
            namespace=namespace, metric_name=metric, metric_data_queries=[], comparison_operator=operator,
            evaluation_periods=periods, period=60, threshold=threshold, statistic=statistic,
            description=f"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {action}",
            dimensions=dimensions, alarm_actions=[action]))
    return alarms


def _extend_tracking_alarms():
    policy_class = aas_models.FakeApplicationAutoscalingPolicy
    backend_class = aas_models.ApplicationAutoscalingBackend
    original_create = policy_class.create_alarms
    original_put = backend_class.put_scaling_policy

    def create_alarms(self):
        original_create(self)
        if self.policy_type == "TargetTrackingScaling" and self.service_namespace == "sagemaker":
            self.alarms.extend(_sagemaker_tracking_alarms(self))

    def put_scaling_policy(self, policy_name, service_namespace, resource_id, scalable_dimension, *args, **kwargs):
        key = policy_class.formulate_key(service_namespace, resource_id, scalable_dimension, policy_name)
        replaced = self.policies.get(key)
        policy = original_put(self, policy_name, service_namespace, resource_id, scalable_dimension, *args, **kwargs)
        if replaced is not None and replaced is not policy:
            replaced.delete_alarms(self.account_id, self.region_name)
        return policy

    policy_class.create_alarms = create_alarms
    backend_class.put_scaling_policy = put_scaling_policy


def _page(items, token, size):
    start = int(token) if token else 0
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


# --- 4. scaling-activity history --------------------------------------------------------------------------------

def _activities(backend):
    if not hasattr(backend, "smsp_activities"):
        backend.smsp_activities = []
    return backend.smsp_activities


def _epoch(moment):
    return moment.timestamp()


def add_activity(backend, activity):
    """Completes a ScalingActivity (ids, times, defaults) and adds it; returns it, or the violations of its shape."""
    now = CLOCK.now()
    not_scaled = bool(activity.get("NotScaledReasons"))
    full = {
        "ActivityId": str(uuid.uuid4()),
        "ServiceNamespace": "sagemaker",
        "Description": "Not scaled" if not_scaled else "Scaling activity",
        "Cause": "added by a test",
        "StatusCode": "Failed" if not_scaled else "Successful",
    }
    full.update(activity)
    for field in ("StartTime", "EndTime"):
        if isinstance(full.get(field), str):
            full[field] = _epoch(smsp_schedule.instant(full[field]))
    full.setdefault("StartTime", _epoch(now))
    if full["StatusCode"] in ("Successful", "Failed", "Overridden", "Unfulfilled"):
        full.setdefault("EndTime", full["StartTime"])
    shape = smsp_contract.service_model("application-autoscaling").shape_for("ScalingActivity")
    problems = []
    smsp_contract.check_shape(shape, full, "", problems)
    if problems:
        return None, problems
    _activities(backend).append(full)
    return full, []


def _extend_scaling_activities():
    response = aas_responses.ApplicationAutoScalingResponse

    def describe_scaling_activities(self):
        resource_id = self._get_param("ResourceId")
        dimension = self._get_param("ScalableDimension")
        include_not_scaled = self._get_param("IncludeNotScaledActivities") is True
        found = []
        for activity in _activities(self.applicationautoscaling_backend):
            if activity["ServiceNamespace"] != self._get_param("ServiceNamespace"):
                continue
            if resource_id is not None and activity["ResourceId"] != resource_id:
                continue
            if dimension is not None and activity["ScalableDimension"] != dimension:
                continue
            if activity.get("NotScaledReasons") and not include_not_scaled:
                continue
            shown = dict(activity)
            if not include_not_scaled:
                shown.pop("NotScaledReasons", None)
            found.append(shown)
        found.sort(key=lambda a: a["StartTime"], reverse=True)
        page, token = _page(found, self._get_param("NextToken"), self._get_int_param("MaxResults") or 50)
        return json.dumps({"ScalingActivities": page, "NextToken": token})

    response.describe_scaling_activities = describe_scaling_activities


# --- 7. scheduled actions on a test-controlled clock --------------------------------------------------------------

class Clock:
    """The wall clock until a test sets it; from then on the time the test last set."""

    def __init__(self):
        self.lock = threading.RLock()
        self.fixed = None

    def now(self):
        with self.lock:
            return self.fixed or datetime.now(timezone.utc)

    def reset(self):
        with self.lock:
            self.fixed = None

    def advance(self, to):
        """Sets the clock and runs what is due in (previous now, to]; returns what ran."""
        with self.lock:
            since = self.now()
            self.fixed = to
            return run_due_actions(since, to) if to > since else []


CLOCK = Clock()


def _all_autoscaling_backends():
    for account_backends in list(aas_models.applicationautoscaling_backends.values()):
        for backend in list(account_backends.values()):
            yield backend


def run_due_actions(since, until):
    due = []
    for backend in _all_autoscaling_backends():
        for action in backend.scheduled_actions:
            created = getattr(action, "smsp_created_at", since)
            try:
                at = smsp_schedule.last_run(action.schedule, action.timezone, action.start_time, action.end_time,
                                            created, since, until)
            except smsp_schedule.ScheduleError:
                continue
            if at is not None:
                due.append((at, backend, action))
    due.sort(key=lambda d: d[0])
    ran = []
    for at, backend, action in due:
        target = _target_of(backend, action.resource_id, action.scalable_dimension)
        if target is None or (target.suspended_state or {}).get("ScheduledScalingSuspended"):
            continue
        bounds = action.scalable_target_action or {}
        minimum, maximum = bounds.get("MinCapacity"), bounds.get("MaxCapacity")
        target.update(minimum, maximum, None)
        said = [f"{name} capacity to {value}" for name, value in (("min", minimum), ("max", maximum)) if value is not None]
        key = {"ServiceNamespace": action.service_namespace, "ResourceId": action.resource_id,
               "ScalableDimension": action.scalable_dimension}
        add_activity(backend, dict(key, Description="Setting " + " and ".join(said), StartTime=_epoch(at),
                                   Cause=f"scheduled action name {action.scheduled_action_name} was triggered"))
        _clamp_capacity(backend, target, key, at)
        ran.append({"ScheduledActionName": action.scheduled_action_name, "ResourceId": action.resource_id,
                    "ScalableDimension": action.scalable_dimension, "at": at.isoformat()})
    return ran


def _capacity_holder(backend, target):
    """(read, write) of the current capacity moto holds for a SageMaker target, or None."""
    from moto.sagemaker.models import sagemaker_backends

    sagemaker = sagemaker_backends[backend.account_id][backend.region_name]
    parts = target.resource_id.split("/")
    if parts[0] == "inference-component":
        component = _components(sagemaker).get(parts[1])
        if component is None:
            return None
        config = component["RuntimeConfig"]
        return (lambda: config["CurrentCopyCount"],
                lambda n: [config.update(CurrentCopyCount=n, DesiredCopyCount=n),
                           component.update(LastModifiedTime=datetime.now(timezone.utc))])
    if parts[0] != "endpoint" or len(parts) != 4:
        return None
    endpoint = sagemaker.endpoints.get(parts[1])
    variant = next((v for v in endpoint.production_variants if v["VariantName"] == parts[3]), None) if endpoint else None
    if variant is None:
        return None
    if target.scalable_dimension.endswith("DesiredProvisionedConcurrency"):
        serverless = variant.get("CurrentServerlessConfig")
        if not serverless or "ProvisionedConcurrency" not in serverless:
            return None
        return (lambda: serverless["ProvisionedConcurrency"],
                lambda n: [c.update(ProvisionedConcurrency=n) for c in (serverless, variant.get("DesiredServerlessConfig") or {})]
                + [_endpoint_modified(endpoint)])
    if "CurrentInstanceCount" not in variant:
        return None
    return (lambda: variant["CurrentInstanceCount"],
            lambda n: [variant.update(CurrentInstanceCount=n, DesiredInstanceCount=n), _endpoint_modified(endpoint)])


def _clamp_capacity(backend, target, key, at):
    holder = _capacity_holder(backend, target)
    if holder is None:
        return
    read, write = holder
    current = read()
    wanted = max(target.min_capacity, min(target.max_capacity, current))
    if wanted != current:
        write(wanted)
        bound = "minimum" if wanted > current else "maximum"
        # sagemaker:variant:DesiredInstanceCount -> "desired instance count"
        unit = re.sub(r"(?<!^)([A-Z])", r" \1", target.scalable_dimension.split(":")[-1]).lower()
        add_activity(backend, dict(key, Description=f"Setting {unit} to {wanted}.", StartTime=_epoch(at),
                                   Cause=f"{bound} capacity was set to {wanted}"))


# --- 8. the contract check, and the test endpoints --------------------------------------------------------------

class ContractLog:
    def __init__(self):
        self.lock = threading.Lock()
        self.violations = []
        self.reject = False

    def reset(self):
        with self.lock:
            self.violations = []
            self.reject = False


CONTRACT = ContractLog()
KEPT_VIOLATIONS = 1000  # enough to fail a test and show why; a benchmark run must not grow without bound


def _stateful_violations(decoded, region):
    """The rules that depend on what AWS already holds."""
    if (decoded.service, decoded.operation) != ("application-autoscaling", "RegisterScalableTarget"):
        return []
    request = decoded.request or {}
    backend = aas_models.applicationautoscaling_backends[DEFAULT_ACCOUNT_ID][region]
    if _target_of(backend, request.get("ResourceId"), request.get("ScalableDimension")) is not None:
        return []
    return [smsp_contract.Violation("required-on-create", m, f"{m} is required when you register a new scalable target")
            for m in ("MinCapacity", "MaxCapacity") if m not in request]


def _json_response(start_response, status, payload):
    body = json.dumps(payload, default=str).encode()
    start_response(f"{status} {HTTPStatus(status).phrase}",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class SmspApplication:
    """WSGI wrapper around moto's dispatcher: checks each request, serves /_smsp/*, resets with moto."""

    def __init__(self, moto_app):
        self.moto_app = moto_app

    def __getattr__(self, name):
        return getattr(self.moto_app, name)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        body = self._body(environ)
        if path.startswith("/_smsp/"):
            return self._test_endpoint(method, path, body, start_response)
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        declared = environ.get("CONTENT_LENGTH") or "0"
        cut_short = declared.isdigit() and len(body) < int(declared)
        if cut_short or (not body and "x-amz-target" in headers):
            # The connection closed before the body arrived (an operator process stopping under a test);
            # the SDK never sends a JSON call without a body, so there is no request to hold against the models.
            return self.moto_app(environ, start_response)
        decoded = smsp_contract.check_http(method, path, headers, body)
        if decoded is not None:
            region = headers.get("authorization", "").split("/")[2] if "Credential=" in headers.get("authorization", "") else "us-east-1"
            decoded.violations += _stateful_violations(decoded, region)
            if decoded.violations:
                with CONTRACT.lock:
                    reject = CONTRACT.reject
                    for v in decoded.violations:
                        entry = dict(v, service=decoded.service, operation=decoded.operation, protocol=decoded.protocol,
                                     request=decoded.request, answered="rejected" if reject else "passed on to moto")
                        # The log outlives resets: one line per violation, for reading after a run.
                        print("smsp contract violation: " + json.dumps(entry, default=str), file=sys.stderr, flush=True)
                        if len(CONTRACT.violations) < KEPT_VIOLATIONS:
                            CONTRACT.violations.append(entry)
                if reject:
                    status, error_headers, error_body = smsp_contract.error_response(decoded)
                    start_response(f"{status} Bad Request", error_headers + [("Content-Length", str(len(error_body)))])
                    return [error_body]
        result = self.moto_app(environ, start_response)
        if path == "/moto-api/reset" and method == "POST":
            CONTRACT.reset()
            CLOCK.reset()
        return result

    @staticmethod
    def _body(environ):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        return body

    def _test_endpoint(self, method, path, body, start_response):
        try:
            payload = json.loads(body.decode() or "null")
        except ValueError as e:
            return _json_response(start_response, 400, {"message": f"body is not JSON: {e}"})
        if path == "/_smsp/contract-violations" and method == "GET":
            with CONTRACT.lock:
                return _json_response(start_response, 200, list(CONTRACT.violations))
        if path == "/_smsp/contract-mode" and method == "POST":
            with CONTRACT.lock:
                CONTRACT.reject = bool((payload or {}).get("reject"))
            return _json_response(start_response, 200, {"reject": CONTRACT.reject})
        if path == "/_smsp/clock" and method == "GET":
            return _json_response(start_response, 200, {"now": CLOCK.now().isoformat()})
        if path == "/_smsp/clock" and method == "POST":
            try:
                to = smsp_schedule.instant((payload or {})["now"])
            except (KeyError, TypeError, ValueError) as e:
                return _json_response(start_response, 400, {"message": f'expected {{"now": "<ISO instant>"}}: {e}'})
            ran = CLOCK.advance(to)
            return _json_response(start_response, 200, {"now": CLOCK.now().isoformat(), "ran": ran})
        if path == "/_smsp/activities" and method == "POST":
            items = payload if isinstance(payload, list) else [payload]
            added = []
            for item in items:
                if not isinstance(item, dict):
                    return _json_response(start_response, 400, {"message": "expected a ScalingActivity object or a list of them"})
                item = dict(item)
                account = item.pop("Account", DEFAULT_ACCOUNT_ID)
                region = item.pop("Region", "us-east-1")
                activity, problems = add_activity(aas_models.applicationautoscaling_backends[account][region], item)
                if problems:
                    return _json_response(start_response, 400, {"message": "not a ScalingActivity", "violations": problems})
                added.append(activity)
            return _json_response(start_response, 200, added)
        return _json_response(start_response, 404, {"message": f"no test endpoint {method} {path}"})


def _wrap_dispatcher():
    import moto.server as moto_server

    dispatcher = moto_server.DomainDispatcherApplication
    moto_server.DomainDispatcherApplication = lambda create_app: SmspApplication(dispatcher(create_app))


_installed = False


def install():
    """Applies every extension to moto, once per process."""
    global _installed
    if not _installed:
        _extend_endpoint_status()
        _extend_dimensions()
        _extend_target_tags()
        _extend_inference_components()
        _extend_autoscaling_semantics()
        _extend_scaling_activities()
        _extend_tracking_alarms()
        _wrap_dispatcher()
        _installed = True


if __name__ == "__main__":
    install()
    main(sys.argv[1:])
