{{- define "sprig.slug" -}}
{{ . | trim | lower | replace " " "-" | replace "_" "-" | trunc 20 | trimSuffix "-" }}
{{- end -}}
