{{- define "common.images.image" -}}
{{- $tag := .imageRoot.tag | default .chart.AppVersion -}}
{{- printf "%s:%s" .imageRoot.repository $tag -}}
{{- end -}}
