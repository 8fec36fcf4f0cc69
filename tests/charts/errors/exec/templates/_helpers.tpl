{{- define "broken.fails" -}}
{{ fail "a helper refuses" }}
{{- end }}

{{- define "broken.nil" -}}
{{ .Values.missing.deeper }}
{{- end }}

{{- define "broken.outer" -}}
{{ include "broken.fails" . }}
{{- end }}

{{- define "broken.wrongType" -}}
{{ upper .Values.list }}
{{- end }}
