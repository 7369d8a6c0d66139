package main

// Helm's template functions: sprig's text functions without env/expandenv (Helm removes them so a
// chart cannot read the machine's environment), plus Helm's own, written from Helm's docs.

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	yaml3 "gopkg.in/yaml.v3"
	"sigs.k8s.io/yaml"
)

const includeDepthLimit = 1000

func funcs(t *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	depth := map[string]int{}
	include := func(name string, data interface{}) (string, error) {
		if depth[name] > includeDepthLimit {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		depth[name]++
		defer func() { depth[name]-- }()
		var buf strings.Builder
		err := t.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	extra := template.FuncMap{
		"include": include,
		// tpl renders a string as a template in a copy of the chart's template set, named after the
		// calling file so its errors point there, with the given scope.
		"tpl": func(src string, data interface{}) (string, error) {
			name := "tpl"
			if m, ok := data.(map[string]interface{}); ok {
				if tm, ok := m["Template"].(map[string]interface{}); ok {
					if n, ok := tm["Name"].(string); ok {
						name = n
					}
				}
			}
			c, err := t.Clone()
			if err != nil {
				return "", err
			}
			if _, err := c.New(name).Parse(src); err != nil {
				return "", fmt.Errorf("error during tpl function execution for %q: %v", src, err)
			}
			var buf strings.Builder
			if err := c.ExecuteTemplate(&buf, name, data); err != nil {
				return "", fmt.Errorf("error during tpl function execution for %q: %v", src, err)
			}
			return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
		},
		"required": func(msg string, v interface{}) (interface{}, error) {
			if s, isString := v.(string); v == nil || (isString && s == "") {
				return v, helmError(msg)
			}
			return v, nil
		},
		"fail":          func(msg string) (string, error) { return "", helmError(msg) },
		"toYaml":        func(v interface{}) string { s, _ := toYAML(v); return s },
		"mustToYaml":    toYAML,
		"toYamlPretty":  toYAMLPretty,
		"fromYaml":      fromYAML,
		"fromYamlArray": fromYAMLArray,
		"toJson":        func(v interface{}) string { b, _ := json.Marshal(v); return string(b) },
		"fromJson":      fromJSON,
		"fromJsonArray": fromJSONArray,
		"toToml": func(interface{}) (string, error) {
			return "", errors.New("toToml: no TOML library in this test renderer")
		},
		"fromToml": func(string) (map[string]interface{}, error) {
			return nil, errors.New("fromToml: no TOML library in this test renderer")
		},
		// `helm template` has no cluster: lookup finds nothing.
		"lookup": func(apiVersion, kind, namespace, name string) (map[string]interface{}, error) {
			return map[string]interface{}{}, nil
		},
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func helmError(msg string) error { return fmt.Errorf("RIGLEASE_MSG{%s}RIGLEASE_MSG", msg) }

// toYAML: sigs.k8s.io/yaml, as Helm's toYaml (JSON field rules, sorted keys), no final newline.
func toYAML(v interface{}) (string, error) {
	b, err := yaml.Marshal(v)
	return strings.TrimSuffix(string(b), "\n"), err
}

func toYAMLPretty(v interface{}) string {
	var buf strings.Builder
	enc := yaml3.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func fromYAML(s string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromYAMLArray(s string) []interface{} {
	var a []interface{}
	if err := yaml.Unmarshal([]byte(s), &a); err != nil {
		return []interface{}{err.Error()}
	}
	return a
}

func fromJSON(s string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(s string) []interface{} {
	var a []interface{}
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		return []interface{}{err.Error()}
	}
	return a
}

// files is .Files: the chart's non-template files by path relative to the chart root.
type files map[string][]byte

func (f files) Get(name string) string      { return string(f[name]) }
func (f files) GetBytes(name string) []byte { return f[name] }

// Glob matches like Helm's (gobwas/glob with '/' as separator): * stays within a folder, ** does not.
func (f files) Glob(pattern string) files {
	re := globRegexp(pattern)
	out := files{}
	for name, data := range f {
		if re.MatchString(name) {
			out[name] = data
		}
	}
	return out
}

func globRegexp(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				b.WriteString(".*")
				i++
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '{':
			b.WriteString("(")
		case '}':
			b.WriteString(")")
		case ',':
			b.WriteString("|")
		case '[', ']':
			b.WriteByte(c)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// AsConfig / AsSecrets: the files as a ConfigMap's data / a Secret's base64 data, keyed by base name.
func (f files) AsConfig() string {
	if len(f) == 0 {
		return ""
	}
	m := map[string]string{}
	for name, data := range f {
		m[path.Base(name)] = string(data)
	}
	s, _ := toYAML(m)
	return s
}

func (f files) AsSecrets() string {
	if len(f) == 0 {
		return ""
	}
	m := map[string]string{}
	for name, data := range f {
		m[path.Base(name)] = base64.StdEncoding.EncodeToString(data)
	}
	s, _ := toYAML(m)
	return s
}

func (f files) Lines(name string) []string {
	s := string(f[name])
	if s == "" {
		return []string{}
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
