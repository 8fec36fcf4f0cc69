{{- define "scoping.teamName" -}}
{{ .root.Values.prefix }}-{{ .name }}
{{- end -}}
{{- define "scoping.portList" -}}
{{- range $i, $p := . -}}
{{- if $i }},{{ end }}{{ $p }}
{{- end -}}
{{- end -}}
