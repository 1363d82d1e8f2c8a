"""moto_server with the few AWS behaviours the operator's tests need and moto 5.2 lacks.

Run it exactly like moto_server (same flags). Each extension follows the AWS API reference:

1. Application Auto Scaling accepts the SageMaker dimensions moto's enum lacks:
   sagemaker:variant:DesiredProvisionedConcurrency (serverless) and
   sagemaker:inference-component:DesiredCopyCount (inference components).
2. Scalable targets keep the Tags given to RegisterScalableTarget when they are created, and
   TagResource / UntagResource / ListTagsForResource work on scalable-target ARNs.
3. SageMaker CreateInferenceComponent / DescribeInferenceComponent / DeleteInferenceComponent, with the
   component InService at once (as moto's endpoints are) and RuntimeConfig copy counts.

4. DescribeScalingActivities answers with an empty list (moto scales nothing, so it has no history),
   where moto raises NotImplementedError (HTTP 500).
5. SageMaker endpoint status transitions, which moto does not model (its endpoints are InService at
   once): an endpoint tagged `smsp-test/status=<EndpointStatus>` reports that status from
   DescribeEndpoint, so tests can put an endpoint into Updating or SystemUpdating and back.

Nothing else is changed; everything is reset by POST /moto-api/reset like the rest of moto.
"""

import json
import sys
from datetime import datetime, timezone
from enum import Enum

from moto.applicationautoscaling import models as aas_models
from moto.applicationautoscaling import responses as aas_responses
from moto.core.responses import ActionResult, EmptyResult
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
        for by_id in backend.targets.values():
            for target in by_id.values():
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

    def describe_scaling_activities(self):
        return json.dumps({"ScalingActivities": []})

    response.describe_scaling_activities = describe_scaling_activities
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

    response.create_inference_component = create_inference_component
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


if __name__ == "__main__":
    _extend_endpoint_status()
    _extend_dimensions()
    _extend_target_tags()
    _extend_inference_components()
    main(sys.argv[1:])
