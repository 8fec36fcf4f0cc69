{{- define "common.name" -}}umbrella-{{ .Chart.Name }}{{- end -}}
{{- define "common.globalLabels" -}}
{{- range $k, $v := .Values.global.labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}
