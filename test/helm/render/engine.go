package main

// The rendering half: one template set holding every template of the chart and its enabled
// subcharts (so `include` reaches any `define`), executed file by file with that file's scope.

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"text/template"
)

// kubeVersion is .Capabilities.KubeVersion; printing it gives the version, as in Helm.
type kubeVersion struct {
	Version, Major, Minor, GitVersion string
}

func (k kubeVersion) String() string { return k.Version }

// versionSet is .Capabilities.APIVersions: "group/version" and "group/version/Kind" entries.
type versionSet []string

func (v versionSet) Has(s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}

type capabilities struct {
	KubeVersion kubeVersion
	APIVersions versionSet
	HelmVersion map[string]string
}

// The k3s release RigLease pins.
var pinnedKube = kubeVersion{Version: "v1.32.4+k3s1", Major: "1", Minor: "32", GitVersion: "v1.32.4+k3s1"}

type renderable struct {
	name string
	src  string
	vals map[string]interface{} // the scope shared by a chart's templates; .Template set per file
	base string
}

type output struct {
	Manifests []manifest `json:"manifests"`
	CRDs      []crd      `json:"crds"`
}

func render(root *chart, in input) (*output, error) {
	vals := map[string]interface{}{}
	if in.Values != nil {
		vals = deepCopy(in.Values).(map[string]interface{})
	}
	scope(root, vals)
	top := map[string]interface{}{
		"Release": map[string]interface{}{
			"Name": in.ReleaseName, "Namespace": in.Namespace, "Service": "Helm",
			"IsInstall": true, "IsUpgrade": false, "Revision": 1,
		},
		"Capabilities": capabilities{
			KubeVersion: pinnedKube,
			APIVersions: versionSet(in.APIVersions),
			HelmVersion: map[string]string{"Version": "v3.17.3"},
		},
	}
	out := &output{Manifests: []manifest{}, CRDs: []crd{}}
	var list []renderable
	collect(root, root.name, vals, top, &list, out)

	// Parse deepest paths first so a parent chart's `define` overrides a subchart's of the same name.
	sort.SliceStable(list, func(i, j int) bool {
		ci, cj := strings.Count(list[i].name, "/"), strings.Count(list[j].name, "/")
		if ci != cj {
			return ci > cj
		}
		return list[i].name > list[j].name
	})
	t := template.New("gotpl").Option("missingkey=zero")
	t.Funcs(funcs(t))
	for _, r := range list {
		if _, err := t.New(r.name).Parse(r.src); err != nil {
			return nil, fmt.Errorf("parse error in %s: %v", r.name, err)
		}
	}
	for _, r := range list {
		base := path.Base(r.name)
		if strings.HasPrefix(base, "_") || base == "NOTES.txt" {
			continue
		}
		r.vals["Template"] = map[string]interface{}{"Name": r.name, "BasePath": r.base}
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, r.name, r.vals); err != nil {
			return nil, cleanError(err)
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if !onlyComments(text) {
			out.Manifests = append(out.Manifests, manifest{Template: r.name, YAML: text})
		}
	}
	sort.Slice(out.Manifests, func(i, j int) bool { return out.Manifests[i].Template < out.Manifests[j].Template })
	return out, nil
}

// collect gathers the templates and crds/ files of a chart and its subcharts, each chart's
// templates sharing one scope map (.Values = the chart's own slice of the values).
func collect(c *chart, fullPath string, vals map[string]interface{}, top map[string]interface{}, list *[]renderable, out *output) {
	scopeVals := map[string]interface{}{
		"Values": vals, "Chart": c.meta, "Files": files(c.files),
		"Release": top["Release"], "Capabilities": top["Capabilities"],
	}
	for name, src := range c.tpls {
		*list = append(*list, renderable{name: fullPath + "/" + name, src: src, vals: scopeVals, base: fullPath + "/templates"})
	}
	var crdNames []string
	for name := range c.files {
		ext := path.Ext(name)
		if strings.HasPrefix(name, "crds/") && (ext == ".yaml" || ext == ".yml" || ext == ".json") {
			crdNames = append(crdNames, name)
		}
	}
	sort.Strings(crdNames)
	for _, name := range crdNames {
		out.CRDs = append(out.CRDs, crd{File: fullPath + "/" + name, YAML: string(c.files[name])})
	}
	for _, sub := range c.subs {
		sv, _ := vals[sub.name].(map[string]interface{})
		collect(sub, fullPath+"/charts/"+sub.name, sv, top, list, out)
	}
}

// helmMessage marks the text of `required`/`fail`, which Helm prints without Go's call chain.
var helmMessage = regexp.MustCompile(`(?s)RIGLEASE_MSG\{(.*)\}RIGLEASE_MSG`)

// cleanError gives Helm's shape: "execution error at (<template>:<line>:<col>): <message>".
func cleanError(err error) error {
	msg := err.Error()
	parts := strings.SplitN(msg, ": ", 3)
	if m := helmMessage.FindStringSubmatch(msg); m != nil && len(parts) == 3 {
		return fmt.Errorf("execution error at (%s): %s", parts[1], m[1])
	}
	return fmt.Errorf("%s", helmMessage.ReplaceAllString(msg, "$1"))
}

// onlyComments: a template rendering to blanks, comments and separators yields no object.
func onlyComments(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if l != "" && l != "---" && !strings.HasPrefix(l, "#") {
			return false
		}
	}
	return true
}
