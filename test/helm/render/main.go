// helm-render: a test oracle that renders a Helm v3 chart the way `helm template` does, using Go's
// own text/template and sprig (the engine Helm itself uses), so tests check RigLease's values
// against upstream charts instead of against stand-ins. Written from Helm's documented behaviour;
// no Helm code. Test tool only: never shipped, never imported by product code.
//
// stdin:  {"chartDir", "values", "releaseName", "namespace", "apiVersions": [], "chartVersion"?}
// stdout: {"manifests": [{"template", "yaml"}], "crds": [{"file", "yaml"}]}; errors: stderr, exit 1.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

type input struct {
	ChartDir     string                 `json:"chartDir"`
	Values       map[string]interface{} `json:"values"`
	ReleaseName  string                 `json:"releaseName"`
	Namespace    string                 `json:"namespace"`
	APIVersions  []string               `json:"apiVersions"`
	ChartVersion string                 `json:"chartVersion"` // for charts that ship only Chart.template.yaml
}

type manifest struct {
	Template string `json:"template"`
	YAML     string `json:"yaml"`
}

type crd struct {
	File string `json:"file"`
	YAML string `json:"yaml"`
}

// chart is one loaded chart: its files by path relative to the chart root, and its subcharts.
type chart struct {
	name     string
	meta     map[string]interface{} // Chart.yaml with Helm's capitalised field names
	defaults map[string]interface{}
	deps     []dependency
	files    map[string][]byte // everything that is not a template, Chart.yaml, values.yaml or charts/
	tpls     map[string]string // templates/ by path relative to the chart root
	subs     []*chart
}

type dependency struct {
	Name      string `json:"name"`
	Alias     string `json:"alias"`
	Condition string `json:"condition"`
	Tags      []string
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail("reading input: %v", err)
	}
	c, err := loadDir(in.ChartDir, in.ChartVersion)
	if err != nil {
		fail("loading chart %s: %v", in.ChartDir, err)
	}
	out, err := render(c, in)
	if err != nil {
		fail("%v", err)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail("writing output: %v", err)
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "Error: "+format+"\n", args...)
	os.Exit(1)
}

// loadDir reads a chart directory, honouring .helmignore, and its charts/ (folders or .tgz).
func loadDir(dir, version string) (*chart, error) {
	files := map[string][]byte{}
	ignore := readIgnore(filepath.Join(dir, ".helmignore"))
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if ignored(ignore, rel, info.IsDir()) {
			if info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if info.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// A symlink checked out as a plain file holds its target (NGF's crds -> ../../config/crd/bases).
		if target := filepath.Join(filepath.Dir(p), strings.TrimSpace(string(data))); len(data) < 200 && isDir(target) {
			return readLinked(target, rel, files)
		}
		files[rel] = data
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, ok := files["Chart.yaml"]; !ok {
		// cert-manager's source tree ships Chart.template.yaml (helmignored); its release tool sets the version.
		if data, err := os.ReadFile(filepath.Join(dir, "Chart.template.yaml")); err == nil {
			files["Chart.template.yaml"] = data
		}
	}
	return build(files, version)
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

// readLinked reads the files of a linked folder as if they sat at rel/.
func readLinked(target, rel string, files map[string][]byte) error {
	entries, err := os.ReadDir(target)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(target, e.Name()))
		if err != nil {
			return err
		}
		files[rel+"/"+e.Name()] = data
	}
	return nil
}

// build turns a chart's files (relative paths) into a chart, loading subcharts recursively.
func build(files map[string][]byte, version string) (*chart, error) {
	c := &chart{files: map[string][]byte{}, tpls: map[string]string{}, defaults: map[string]interface{}{}}
	raw, ok := files["Chart.yaml"]
	if !ok {
		tmpl, ok := files["Chart.template.yaml"]
		if !ok || version == "" {
			return nil, fmt.Errorf("no Chart.yaml (a Chart.template.yaml needs chartVersion)")
		}
		raw = tmpl
	}
	var meta map[string]interface{}
	if err := yaml.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("Chart.yaml: %v", err)
	}
	if _, isTemplate := files["Chart.yaml"]; !isTemplate {
		meta["version"], meta["appVersion"] = version, version
	}
	c.name, _ = meta["name"].(string)
	c.meta = capitalise(meta)
	if deps, ok := meta["dependencies"]; ok {
		b, _ := json.Marshal(deps)
		if err := json.Unmarshal(b, &c.deps); err != nil {
			return nil, fmt.Errorf("Chart.yaml dependencies: %v", err)
		}
	}
	if v, ok := files["values.yaml"]; ok {
		if err := yaml.Unmarshal(v, &c.defaults); err != nil {
			return nil, fmt.Errorf("values.yaml: %v", err)
		}
		if c.defaults == nil {
			c.defaults = map[string]interface{}{}
		}
	}
	subFiles := map[string]map[string][]byte{}
	for name, data := range files {
		switch {
		case name == "Chart.yaml" || name == "Chart.template.yaml" || name == "values.yaml" || name == "values.schema.json" || name == "Chart.lock":
		case strings.HasPrefix(name, "templates/"):
			c.tpls[name] = string(data)
		case strings.HasPrefix(name, "charts/"):
			rest := strings.TrimPrefix(name, "charts/")
			if strings.HasSuffix(rest, ".tgz") && !strings.Contains(rest, "/") {
				if err := untar(data, subFiles); err != nil {
					return nil, fmt.Errorf("%s: %v", name, err)
				}
			} else if i := strings.Index(rest, "/"); i > 0 {
				addFile(subFiles, rest[:i], rest[i+1:], data)
			}
		default:
			c.files[name] = data
		}
	}
	for _, sf := range subFiles {
		sub, err := build(sf, "")
		if err != nil {
			return nil, err
		}
		c.subs = append(c.subs, sub)
	}
	sort.Slice(c.subs, func(i, j int) bool { return c.subs[i].name < c.subs[j].name })
	for _, d := range c.deps {
		found := false
		for _, sub := range c.subs {
			found = found || sub.name == d.Name
		}
		if !found {
			return nil, fmt.Errorf("found in Chart.yaml, but missing in charts/ directory: %s", d.Name)
		}
	}
	return c, nil
}

func addFile(into map[string]map[string][]byte, sub, rel string, data []byte) {
	if into[sub] == nil {
		into[sub] = map[string][]byte{}
	}
	into[sub][rel] = data
}

// untar reads a packaged subchart: every entry sits under one top folder named after the chart.
func untar(data []byte, into map[string]map[string][]byte) error {
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		parts := strings.SplitN(h.Name, "/", 2)
		if len(parts) != 2 {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		addFile(into, "tgz:"+parts[0], parts[1], b)
	}
}

// capitalise gives Chart.yaml's fields the names templates use (.Chart.AppVersion, .Chart.Name).
func capitalise(meta map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range meta {
		if k == "" {
			continue
		}
		key := strings.ToUpper(k[:1]) + k[1:]
		if k == "apiVersion" {
			key = "APIVersion"
		}
		out[key] = v
	}
	return out
}

// readIgnore / ignored: .helmignore, roughly — glob lines, "dir/" for folders, "!" negation.
func readIgnore(p string) []string {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	var rules []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			rules = append(rules, line)
		}
	}
	return rules
}

func ignored(rules []string, rel string, isDir bool) bool {
	if rel == ".helmignore" {
		return true
	}
	out := false
	for _, r := range rules {
		neg := strings.HasPrefix(r, "!")
		r = strings.TrimPrefix(r, "!")
		dirOnly := strings.HasSuffix(r, "/")
		r = strings.TrimSuffix(r, "/")
		if dirOnly && !isDir {
			continue
		}
		target := path.Base(rel)
		if strings.Contains(r, "/") {
			target = rel
			r = strings.TrimPrefix(r, "/")
		}
		if ok, _ := path.Match(r, target); ok {
			out = !neg
		}
	}
	return out
}

// ---- values -----------------------------------------------------------------------------------

// coalesce merges a chart's defaults under the given values, Helm's way: the user's value wins,
// maps merge key by key, and a user null deletes the key (default included).
func coalesce(vals, defaults map[string]interface{}) map[string]interface{} {
	for k, def := range defaults {
		v, present := vals[k]
		switch {
		case !present:
			vals[k] = deepCopy(def)
		case v == nil:
			delete(vals, k)
		default:
			vm, vok := v.(map[string]interface{})
			dm, dok := def.(map[string]interface{})
			if vok && dok {
				coalesce(vm, dm)
			}
		}
	}
	return vals
}

func deepCopy(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, x := range t {
			out[k] = deepCopy(x)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, x := range t {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}

// scope prepares the values of a chart and its enabled subcharts (recursively): a subchart's
// values live under its name (or alias) in its parent's, and the parent's `global` flows down.
func scope(c *chart, vals map[string]interface{}) {
	coalesce(vals, c.defaults)
	parentGlobal, _ := vals["global"].(map[string]interface{})
	var enabled []*chart
	for _, sub := range c.subs {
		dep := c.depFor(sub.name)
		if dep != nil && dep.Alias != "" {
			sub.name = dep.Alias
			sub.meta["Name"] = dep.Alias
		}
		if dep != nil && !conditionHolds(dep.Condition, vals) {
			delete(vals, sub.name)
			continue
		}
		enabled = append(enabled, sub)
		sv, _ := vals[sub.name].(map[string]interface{})
		if sv == nil {
			sv = map[string]interface{}{}
			vals[sub.name] = sv
		}
		g, _ := sv["global"].(map[string]interface{})
		if g == nil {
			g = map[string]interface{}{}
		}
		for k, v := range parentGlobal { // the parent's globals win over the subchart's own
			g[k] = deepCopy(v)
		}
		sv["global"] = g
		scope(sub, sv)
	}
	c.subs = enabled
}

func (c *chart) depFor(name string) *dependency {
	for i := range c.deps {
		if c.deps[i].Name == name {
			return &c.deps[i]
		}
	}
	return nil
}

// conditionHolds: the first path in a comma-separated condition that resolves to a bool decides;
// when none does, the subchart is enabled (Helm's rule).
func conditionHolds(cond string, vals map[string]interface{}) bool {
	for _, p := range strings.Split(cond, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		var cur interface{} = vals
		for _, part := range strings.Split(p, ".") {
			m, _ := cur.(map[string]interface{})
			cur = m[part]
		}
		if b, ok := cur.(bool); ok {
			return b
		}
	}
	return true
}
