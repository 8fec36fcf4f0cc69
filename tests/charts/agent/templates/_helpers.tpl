{{/* The chart's name, truncated to the 63 characters a label value allows. */}}
{{- define "agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* chart label: name-version, with "+" made label-safe. */}}
{{- define "agent.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Newer charts read global.*, older ones the top-level values: accept both. */}}
{{- define "agent.space" -}}
{{- $global := .Values.global | default dict -}}
{{- required "space (or global.space) is required: the name of the Space to connect" (coalesce $global.space .Values.space) -}}
{{- end -}}

{{- define "agent.organization" -}}
{{- $global := .Values.global | default dict -}}
{{- required "organization (or global.organization) is required: the Upbound organization" (coalesce $global.organization .Values.organization) -}}
{{- end -}}

{{- define "agent.tokenSecret" -}}
{{- $global := .Values.global | default dict -}}
{{- required "tokenSecret (or global.tokenSecret) is required: the Secret holding the robot token" (coalesce $global.tokenSecret .Values.tokenSecret) -}}
{{- end -}}

{{- define "agent.selectorLabels" -}}
app: agent
app.kubernetes.io/name: {{ include "agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "agent.labels" -}}
{{ include "agent.selectorLabels" . }}
helm.sh/chart: {{ include "agent.chart" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* image reference: repository:tag, the tag defaulting to the chart's appVersion. */}}
{{- define "agent.image" -}}
{{- printf "%s:%s" .image.repository (default .appVersion .image.tag) -}}
{{- end -}}
