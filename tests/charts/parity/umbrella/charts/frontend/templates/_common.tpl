{{- define "common.name" -}}frontend-own-{{ .Chart.Name }}{{- end -}}
