"""Checks AWS requests against the official API models, as AWS would before it acts on them.

The models are botocore's service-2.json files for Application Auto Scaling, CloudWatch and SageMaker,
loaded from the installed botocore package (never copied into the repository). A request is checked for
what the model states about every member, recursively through structures, lists and maps:

  required    a member the structure lists as required is missing
  unknown     a member the structure does not have
  type        a value of the wrong type (for example a string where the model has an integer)
  enum        a string outside the shape's enum
  length      a string, list or map shorter than `min` or longer than `max`
  range       a number below `min` or above `max`
  pattern     a string that does not match the shape's pattern as a whole (Java's matches(): AWS answers
              "Member must satisfy regular expression pattern: \\p{Print}+" for a name with a tab in it, so
              its services match whole values, although Smithy calls patterns unanchored)
  union       a union structure without exactly one member set

and for the documented cross-field rules the model cannot express and moto does not check:

  metric-math       CloudWatch MetricDataQuery (PutMetricAlarm `Metrics`) and Application Auto Scaling
                    TargetTrackingMetricDataQuery: exactly one query returns data, and ReturnData unset
                    counts as true ("If you omit this, the default of true is used"; "You must specify
                    false for ReturnData for all the other metrics and expressions"); each query has either
                    Expression or MetricStat, not both (MetricDataQuery and TargetTrackingMetricDataQuery
                    in the API references).
  unit              the Unit of an Application Auto Scaling customized metric or metric stat is one of
                    CloudWatch's StandardUnit values ("For a complete list of the units that CloudWatch
                    supports, see the MetricDatum data type"); CloudWatch's own Unit members are enums.
  evaluation-window PutMetricAlarm: Period x EvaluationPeriods <= 604,800 s, and <= 86,400 s for periods
                    under 3,600 s (PutMetricAlarm `Period` in the CloudWatch API reference); the period of
                    a metric-math alarm is the longest period of its queries.
  period            PutMetricAlarm `Period` is 10, 20, 30 or a multiple of 60 (same reference).
  metric-source     PutMetricAlarm has MetricName or Metrics (not both; with Metrics none of Namespace,
                    MetricName, Dimensions, Period, Unit, Statistic, ExtendedStatistic).
  step-adjustments  StepScalingPolicyConfiguration.StepAdjustments (Application Auto Scaling API reference,
                    StepAdjustment): ranges neither overlap nor leave a gap; at most one null lower bound and
                    one null upper bound; a negative lower bound needs a step with a null lower bound and a
                    positive upper bound one with a null upper bound; no step has both bounds null; each
                    upper bound is greater than its lower bound.

Requests arrive in the protocols the operator's SDK speaks: JSON 1.1 (`X-Amz-Target`) for Application Auto
Scaling and SageMaker, and for CloudWatch the AWS Query protocol (form-encoded `Action=`, what AWS SDK for
Java 2.40.2 sends) or JSON 1.0. CloudWatch's Smithy RPC v2 CBOR (SDK >= 2.40.6) is recognised and reported as
a violation of its own, since moto cannot answer it.
"""

import base64
import gzip
import json
import re
import threading
import unicodedata
from urllib.parse import parse_qs

import botocore.session

SERVICES = ("application-autoscaling", "cloudwatch", "sagemaker")
TARGET_PREFIXES = {
    "AnyScaleFrontendService": "application-autoscaling",
    "GraniteServiceVersion20100801": "cloudwatch",
    "SageMaker": "sagemaker",
}
SIGNING_NAMES = {"application-autoscaling": "application-autoscaling", "monitoring": "cloudwatch", "sagemaker": "sagemaker"}

_models = {}
_models_lock = threading.Lock()


def service_model(service):
    with _models_lock:
        if service not in _models:
            _models[service] = botocore.session.get_session().get_service_model(service)
        return _models[service]


class Violation(dict):
    """One broken rule: which one, where (a member path such as `Metrics[1].ReturnData`) and why."""

    def __init__(self, rule, path, message):
        super().__init__(rule=rule, path=path, message=message)


# --- Java regular expressions (as the models spell their patterns) in Python's re -----------------------------

_category_ranges = {}


def _category_class(categories):
    """The code points of the given Unicode general categories (`L`, `Zs`, ...) as character-class ranges."""
    if not _category_ranges:
        # One pass over all code points, kept as ranges per two-letter category.
        start, last, current = 0, -1, None
        for cp in range(0x110000):
            category = "Cs" if 0xD800 <= cp <= 0xDFFF else unicodedata.category(chr(cp))
            if category != current:
                if current is not None:
                    _category_ranges.setdefault(current, []).append((start, last))
                start, current = cp, category
            last = cp
        _category_ranges.setdefault(current, []).append((start, last))
    ranges = sorted(r for name, rs in _category_ranges.items() if name != "Cs" and any(
        name == c or (len(c) == 1 and name[0] == c) for c in categories) for r in rs)
    return "".join(_escape_cp(a) if a == b else _escape_cp(a) + "-" + _escape_cp(b) for a, b in ranges)


def _escape_cp(cp):
    return "\\U%08x" % cp


# Java's POSIX classes are ASCII unless UNICODE_CHARACTER_CLASS is set, which the models do not set.
_POSIX = {"Print": "\\x20-\\x7e", "Alnum": "a-zA-Z0-9", "Alpha": "a-zA-Z", "Digit": "0-9", "Graph": "\\x21-\\x7e",
          "Upper": "A-Z", "Lower": "a-z", "Punct": "!-/:-@\\[-`{-~", "Space": " \\t\\n\\x0b\\f\\r"}


def java_to_python(pattern):
    """Translates the Java regex constructs the three models use that Python's re lacks or reads differently:
    `\\p{...}` classes and surrogate-pair escapes (`\\uD800\\uDC00-\\uDBFF\\uDFFF` means U+10000-U+10FFFF)."""

    def pair(m):
        high, low = int(m.group(1), 16), int(m.group(2), 16)
        return _escape_cp(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))

    pattern = re.sub(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", pair, pattern, flags=re.I)
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and pattern.startswith("p{", i + 1):
            end = pattern.index("}", i)
            name = pattern[i + 3:end]
            body = _POSIX.get(name) or _category_class([name])
            out.append(body if in_class else "[" + body + "]")
            i = end + 1
            continue
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


_compiled = {}


def compiled_pattern(pattern):
    if pattern not in _compiled:
        translated = java_to_python(pattern)
        try:
            _compiled[pattern] = re.compile(translated, re.S)
        except re.error:
            # Java accepts a quantifier on `$` (a no-op, in a few tag patterns); Python does not.
            _compiled[pattern] = re.compile(re.sub(r"\$\{\d+,\d+\}", "$", translated), re.S)
    return _compiled[pattern]


# --- shape checks ---------------------------------------------------------------------------------------------

def _quote(value):
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 120 else text[:117] + "..."


def check_shape(shape, value, path, out):
    """Checks one value against its botocore shape, appending Violations to `out`."""
    kind = shape.type_name
    meta = shape.metadata
    where = path or "request"
    if kind == "structure":
        if not isinstance(value, dict):
            out.append(Violation("type", where, f"expected a structure, got {_quote(value)}"))
            return
        present = {k: v for k, v in value.items() if v is not None}
        for name in shape.required_members:
            if name not in present:
                out.append(Violation("required", _join(path, name), f"member {name} is required"))
        for name, member_value in present.items():
            member = shape.members.get(name)
            if member is None:
                out.append(Violation("unknown", _join(path, name), f"{shape.name} has no member {name}"))
            else:
                check_shape(member, member_value, _join(path, name), out)
        if meta.get("union") and len(present) != 1:
            out.append(Violation("union", where, f"exactly one member of {shape.name} must be set, got {sorted(present)}"))
        return
    if kind == "list":
        if not isinstance(value, list):
            out.append(Violation("type", where, f"expected a list, got {_quote(value)}"))
            return
        _check_length(meta, len(value), where, out, "items")
        for i, item in enumerate(value):
            if item is not None:
                check_shape(shape.member, item, f"{path}[{i}]", out)
        return
    if kind == "map":
        if not isinstance(value, dict):
            out.append(Violation("type", where, f"expected a map, got {_quote(value)}"))
            return
        _check_length(meta, len(value), where, out, "entries")
        for k, v in value.items():
            check_shape(shape.key, k, f"{path}{{key {k}}}", out)
            if v is not None:
                check_shape(shape.value, v, f"{path}[{k}]", out)
        return
    if kind == "string":
        if not isinstance(value, str):
            out.append(Violation("type", where, f"expected a string, got {_quote(value)}"))
            return
        if shape.enum and value not in shape.enum:
            out.append(Violation("enum", where, f"value {_quote(value)} is not one of {shape.enum}"))
        _check_length(meta, len(value), where, out, "characters")
        if "pattern" in meta and not compiled_pattern(meta["pattern"]).fullmatch(value):
            out.append(Violation("pattern", where, f"value {_quote(value)} does not match {meta['pattern']}"))
        return
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(Violation("type", where, f"expected an integer, got {_quote(value)}"))
            return
        _check_range(meta, value, where, out)
        return
    if kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append(Violation("type", where, f"expected a number, got {_quote(value)}"))
            return
        _check_range(meta, value, where, out)
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            out.append(Violation("type", where, f"expected a boolean, got {_quote(value)}"))
        return
    if kind == "timestamp":
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            out.append(Violation("type", where, f"expected a timestamp, got {_quote(value)}"))
        return
    if kind == "blob":
        if not isinstance(value, (str, bytes)):
            out.append(Violation("type", where, f"expected a blob, got {_quote(value)}"))
        return


def _join(path, name):
    return f"{path}.{name}" if path else name


def _check_length(meta, length, where, out, what):
    if "min" in meta and length < meta["min"]:
        out.append(Violation("length", where, f"has {length} {what}, at least {meta['min']} required"))
    if "max" in meta and length > meta["max"]:
        out.append(Violation("length", where, f"has {length} {what}, at most {meta['max']} allowed"))


def _check_range(meta, value, where, out):
    if "min" in meta and value < meta["min"]:
        out.append(Violation("range", where, f"value {value} is below the minimum {meta['min']}"))
    if "max" in meta and value > meta["max"]:
        out.append(Violation("range", where, f"value {value} is above the maximum {meta['max']}"))


# --- cross-field rules ----------------------------------------------------------------------------------------

def _metric_math(queries, path, out):
    if not isinstance(queries, list) or not queries:
        return
    returning = [i for i, q in enumerate(queries) if isinstance(q, dict) and q.get("ReturnData", True) is not False]
    if len(queries) > 1:
        for i, q in enumerate(queries):
            if isinstance(q, dict) and "ReturnData" not in q:
                out.append(Violation("metric-math", f"{path}[{i}].ReturnData",
                                     f"query {q.get('Id')!r} leaves ReturnData unset, which AWS reads as true; "
                                     "with metric math every query but the one whose result is used must say false"))
    if len(returning) != 1:
        ids = [queries[i].get("Id") for i in returning]
        out.append(Violation("metric-math", path, f"exactly one query must return data, {len(returning)} do: {ids}"))
    for i, q in enumerate(queries):
        if isinstance(q, dict) and ("Expression" in q) == ("MetricStat" in q):
            out.append(Violation("metric-math", f"{path}[{i}]", "a query has either Expression or MetricStat, not both"))


def _standard_unit(unit, path, out):
    units = service_model("cloudwatch").shape_for("StandardUnit").enum
    if unit is not None and unit not in units:
        out.append(Violation("unit", path, f"unit {_quote(unit)} is not a CloudWatch StandardUnit {units}"))


def _steps(steps, path, out):
    if not isinstance(steps, list) or not steps:
        return
    inf = float("inf")
    bands = []
    for i, s in enumerate(steps):
        if not isinstance(s, dict):
            return
        lower, upper = s.get("MetricIntervalLowerBound"), s.get("MetricIntervalUpperBound")
        if lower is None and upper is None:
            out.append(Violation("step-adjustments", f"{path}[{i}]", "the upper and lower bound can't be null in the same step adjustment"))
        if lower is not None and upper is not None and upper <= lower:
            out.append(Violation("step-adjustments", f"{path}[{i}]", f"upper bound {upper} is not greater than lower bound {lower}"))
        bands.append((-inf if lower is None else lower, inf if upper is None else upper, i))
    null_lower = sum(1 for s in steps if s.get("MetricIntervalLowerBound") is None)
    null_upper = sum(1 for s in steps if s.get("MetricIntervalUpperBound") is None)
    if null_lower > 1:
        out.append(Violation("step-adjustments", path, "at most one step adjustment can have a null lower bound"))
    if null_upper > 1:
        out.append(Violation("step-adjustments", path, "at most one step adjustment can have a null upper bound"))
    if null_lower == 0 and any((s.get("MetricIntervalLowerBound") or 0) < 0 for s in steps):
        out.append(Violation("step-adjustments", path, "a negative lower bound needs a step adjustment with a null lower bound"))
    if null_upper == 0 and any((s.get("MetricIntervalUpperBound") or 0) > 0 for s in steps):
        out.append(Violation("step-adjustments", path, "a positive upper bound needs a step adjustment with a null upper bound"))
    bands.sort()
    for (lo1, up1, i1), (lo2, up2, i2) in zip(bands, bands[1:]):
        if lo2 < up1:
            out.append(Violation("step-adjustments", path, f"steps {i1} and {i2} overlap ({lo1}..{up1} and {lo2}..{up2})"))
        elif lo2 > up1:
            out.append(Violation("step-adjustments", path, f"steps {i1} and {i2} leave a gap between {up1} and {lo2}"))


def _put_metric_alarm(request, out):
    metrics = request.get("Metrics")
    if metrics:
        _metric_math(metrics, "Metrics", out)
        both = [m for m in ("Namespace", "MetricName", "Dimensions", "Period", "Unit", "Statistic", "ExtendedStatistic") if m in request]
        if both:
            out.append(Violation("metric-source", "Metrics", f"Metrics cannot be combined with {both}"))
        periods = [q.get("MetricStat", {}).get("Period") or q.get("Period") for q in metrics if isinstance(q, dict)]
        period = max((p for p in periods if isinstance(p, int)), default=None)
    else:
        if "MetricName" not in request and "EvaluationCriteria" not in request:
            out.append(Violation("metric-source", "MetricName", "an alarm needs MetricName, Metrics or EvaluationCriteria"))
        period = request.get("Period")
        if "MetricName" in request and period is None:
            out.append(Violation("period", "Period", "Period is required for alarms based on static thresholds"))
        if isinstance(period, int) and period not in (10, 20, 30) and period % 60 != 0:
            out.append(Violation("period", "Period", f"period {period} is not 10, 20, 30 or a multiple of 60"))
    evaluations = request.get("EvaluationPeriods")
    if isinstance(period, int) and isinstance(evaluations, int):
        limit = 86_400 if period < 3_600 else 604_800
        if period * evaluations > limit:
            out.append(Violation("evaluation-window", "EvaluationPeriods",
                                 f"Period {period} s x EvaluationPeriods {evaluations} = {period * evaluations} s exceeds {limit} s"))


def _put_scaling_policy(request, out):
    step = request.get("StepScalingPolicyConfiguration")
    if isinstance(step, dict):
        _steps(step.get("StepAdjustments"), "StepScalingPolicyConfiguration.StepAdjustments", out)
    tracking = request.get("TargetTrackingScalingPolicyConfiguration")
    if isinstance(tracking, dict) and isinstance(tracking.get("CustomizedMetricSpecification"), dict):
        spec = tracking["CustomizedMetricSpecification"]
        base = "TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification"
        _standard_unit(spec.get("Unit"), base + ".Unit", out)
        if "Metrics" in spec:
            _metric_math(spec["Metrics"], base + ".Metrics", out)
            for i, q in enumerate(spec["Metrics"] if isinstance(spec["Metrics"], list) else []):
                if isinstance(q, dict) and isinstance(q.get("MetricStat"), dict):
                    _standard_unit(q["MetricStat"].get("Unit"), f"{base}.Metrics[{i}].MetricStat.Unit", out)


CROSS_FIELD = {
    ("cloudwatch", "PutMetricAlarm"): _put_metric_alarm,
    ("application-autoscaling", "PutScalingPolicy"): _put_scaling_policy,
}


def check(service, operation, request):
    """All violations of one request: the model's member rules, then the cross-field rules."""
    model = service_model(service)
    if operation not in model.operation_names:
        return [Violation("operation", operation, f"{service} has no operation {operation}")]
    out = []
    input_shape = model.operation_model(operation).input_shape
    if input_shape is not None:
        check_shape(input_shape, request, "", out)
    rule = CROSS_FIELD.get((service, operation))
    if rule is not None and isinstance(request, dict):
        rule(request, out)
    return out


# --- decoding requests as they arrive on the wire -------------------------------------------------------------

class Decoded:
    def __init__(self, service, operation, protocol, request, violations=()):
        self.service, self.operation, self.protocol, self.request = service, operation, protocol, request
        self.violations = list(violations)


def decode(method, path, headers, body):
    """The service, operation and request members of an HTTP request to one of the three services, or None
    for anything else (other services, moto's own endpoints). `headers` has lower-case names."""
    if method != "POST":
        return None
    target = headers.get("x-amz-target", "")
    if "." in target:
        prefix, operation = target.rsplit(".", 1)
        service = TARGET_PREFIXES.get(prefix)
        if service is None:
            return None
        try:
            request = json.loads(body.decode("utf-8") or "{}")
        except ValueError as e:
            return Decoded(service, operation, "json", None, [Violation("type", "request", f"body is not JSON: {e}")])
        return Decoded(service, operation, "json", request)
    match = re.match(r"^/service/(\w+)/operation/(\w+)$", path)
    if match and match.group(1) in TARGET_PREFIXES:
        return Decoded(TARGET_PREFIXES[match.group(1)], match.group(2), "smithy-rpc-v2-cbor", None,
                       [Violation("protocol", "request", "Smithy RPC v2 CBOR is not served by moto; pin an SDK that speaks query or JSON")])
    content_type = headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        scope = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/", headers.get("authorization", ""))
        service = SIGNING_NAMES.get(scope.group(1)) if scope else None
        if service != "cloudwatch":
            return None
        # The SDK gzips large query bodies (PutMetricData request compression); the wire allows it.
        if "gzip" in headers.get("content-encoding", ""):
            body = gzip.decompress(body)
        params = {k: v[-1] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
        operation = params.get("Action")
        model = service_model(service)
        if operation not in model.operation_names:
            return Decoded(service, operation, "query", None, [Violation("operation", "Action", f"unknown action {operation!r}")])
        return decode_query(model.operation_model(operation).input_shape, operation, params)
    return None


def decode_query(shape, operation, params):
    """AWS Query form fields to the request structure they serialize, with fields no member accounts for as
    `unknown` violations and values that do not parse as `type` violations."""
    consumed = {"Action", "Version"}
    problems = []
    request = _query_value(shape, "", params, consumed, problems) if shape is not None else {}
    for key in sorted(set(params) - consumed):
        problems.append(Violation("unknown", key, f"form field {key} is no member of {operation}"))
    return Decoded("cloudwatch", operation, "query", request or {}, problems)


def _query_value(shape, prefix, params, consumed, problems):
    kind = shape.type_name
    if kind == "structure":
        out = {}
        for name, member in shape.members.items():
            key = _join(prefix, member.serialization.get("name", name))
            if key in params or any(k.startswith(key + ".") for k in params):
                value = _query_value(member, key, params, consumed, problems)
                if value is not None:
                    out[name] = value
        return out
    if kind == "list":
        if key_is_empty_list(prefix, params):
            consumed.add(prefix)
            return []
        item = prefix + "." if shape.serialization.get("flattened") else prefix + "." + shape.member.serialization.get("name", "member") + "."
        indices = sorted({int(m.group(1)) for k in params for m in [re.match(re.escape(item) + r"(\d+)(\.|$)", k)] if m})
        return [_query_value(shape.member, f"{item}{i}", params, consumed, problems) for i in indices]
    if kind == "map":
        entry = prefix + "." if shape.serialization.get("flattened") else prefix + ".entry."
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        indices = sorted({int(m.group(1)) for k in params for m in [re.match(re.escape(entry) + r"(\d+)\.", k)] if m})
        out = {}
        for i in indices:
            k = _query_value(shape.key, f"{entry}{i}.{key_name}", params, consumed, problems)
            out[k] = _query_value(shape.value, f"{entry}{i}.{value_name}", params, consumed, problems)
        return out
    if prefix not in params:
        return None
    consumed.add(prefix)
    text = params[prefix]
    try:
        if kind in ("integer", "long"):
            return int(text)
        if kind in ("double", "float"):
            return float(text)
        if kind == "boolean":
            if text not in ("true", "false"):
                raise ValueError(text)
            return text == "true"
        if kind == "blob":
            base64.b64decode(text, validate=True)
    except ValueError:
        problems.append(Violation("type", prefix, f"value {_quote(text)} is not a valid {kind}"))
        return None
    return text


def key_is_empty_list(prefix, params):
    return params.get(prefix) == "" and not any(k.startswith(prefix + ".") for k in params)


def check_http(method, path, headers, body):
    """Decodes and checks one HTTP request; None when it is not for one of the three services."""
    decoded = decode(method, path, headers, body)
    if decoded is None:
        return None
    if decoded.request is not None and not decoded.violations:
        decoded.violations = check(decoded.service, decoded.operation, decoded.request)
    elif decoded.request is not None:
        decoded.violations += check(decoded.service, decoded.operation, decoded.request)
    return decoded


# --- answering as AWS answers a bad request -------------------------------------------------------------------

def error_response(decoded):
    """(status, headers, body) of the error AWS returns for the first violation."""
    first = decoded.violations[0]
    count = len(decoded.violations)
    message = f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(
        f"{v['path']}: {v['message']}" for v in decoded.violations)
    if decoded.service == "cloudwatch":
        code = {"required": "MissingParameter", "metric-math": "InvalidParameterValue", "unit": "InvalidParameterValue",
                "evaluation-window": "InvalidParameterValue", "period": "InvalidParameterValue",
                "metric-source": "InvalidParameterCombination"}.get(first["rule"], "ValidationError")
        if decoded.protocol == "query":
            body = ('<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>Sender</Type>'
                    f"<Code>{code}</Code><Message>{_xml(message)}</Message></Error>"
                    "<RequestId>smsp-contract-check</RequestId></ErrorResponse>")
            return 400, [("Content-Type", "text/xml")], body.encode()
        headers = [("Content-Type", "application/x-amz-json-1.0"), ("x-amzn-query-error", f"{code};Sender")]
        return 400, headers, json.dumps({"__type": code, "message": message}).encode()
    return 400, [("Content-Type", "application/x-amz-json-1.1")], json.dumps(
        {"__type": "ValidationException", "message": message}).encode()


def _xml(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
