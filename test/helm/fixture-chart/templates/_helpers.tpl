{{- define "fixture.name" -}}
{{ default "fallback" .Values.name }}
{{- end -}}
{{- define "fixture.labels" -}}
{{ toYaml .Values.labels }}
chart: {{ .Chart.Name }}
{{- end -}}
