{{- define "lookup.password" -}}
{{- $secret := lookup "v1" "Secret" .Release.Namespace (printf "%s-auth" .Release.Name) -}}
{{- if $secret -}}
{{- index $secret.data "password" -}}
{{- else if .Values.auth.password -}}
{{- .Values.auth.password | b64enc -}}
{{- else -}}
{{- printf "%s/%s" .Release.Namespace .Release.Name | sha256sum | trunc 20 | b64enc -}}
{{- end -}}
{{- end -}}
