{{- define "fixture.name" -}}child-definition-loses{{- end -}}
