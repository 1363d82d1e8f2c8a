{{/*
Chart name, truncated to the 63 characters a DNS label allows.
*/}}
{{- define "smsp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's objects.
*/}}
{{- define "smsp.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "smsp.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "smsp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "smsp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "smsp.labels" -}}
helm.sh/chart: {{ include "smsp.chart" . }}
{{ include "smsp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: sagemaker-autoscaling-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "smsp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "smsp.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create=false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "smsp.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{- define "smsp.leaseName" -}}
{{- default (include "smsp.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{- define "smsp.leaseNamespace" -}}
{{- default .Release.Namespace .Values.leaderElection.namespace }}
{{- end }}

{{/*
Rules for the SageMakerScalingPolicy resources and the Events the operator reports; shared by
the ClusterRole and the per-namespace Roles.
*/}}
{{- define "smsp.operatorRules" -}}
- apiGroups: ["autoscaling.sagemaker.dev"]
  resources: ["sagemakerscalingpolicies"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["autoscaling.sagemaker.dev"]
  resources: ["sagemakerscalingpolicies/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["autoscaling.sagemaker.dev"]
  resources: ["sagemakerscalingpolicies/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/*
Namespaces are cluster-scoped, so these are in a ClusterRole in both RBAC scopes: the operator reads the
namespace grants (annotations) through an informer, and the kube-system namespace's UID to derive its
cluster name. Read-only.
*/}}
{{- define "smsp.namespaceRules" -}}
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["get", "list", "watch"]
{{- end }}

{{/*
Checks of combinations that values.schema.json cannot express.
*/}}
{{- define "smsp.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicaCount > 1 requires leaderElection.enabled=true: without a leader, every replica would reconcile the same resources" }}
{{- end }}
{{- if and (eq .Values.rbac.scope "namespaced") (empty .Values.watchNamespaces) }}
{{- fail "rbac.scope=namespaced requires a non-empty watchNamespaces list: the operator would have no permission to watch all namespaces" }}
{{- end }}
{{- end }}
