package corpus

// hugoFiles are the configuration and templates of the Hugo site of a
// corpus: a page per postmortem with its root causes, services and five
// related incidents (by root causes first, then services), a page per
// term, and lists, about what `postmortem build` makes with its default
// theme, without search.
func hugoFiles() []File {
	return []File{
		{"hugo.toml", []byte(`baseURL = "https://incidents.example.com/"
title = "Incident reviews"
disableKinds = ["RSS"]

[taxonomies]
  root_cause = "root_causes"
  service = "services"
  severity = "severity"

[related]
  includeNewer = true
  threshold = 1
  toLower = true
  [[related.indices]]
    name = "root_causes"
    weight = 100
  [[related.indices]]
    name = "services"
    weight = 40
`)},
		{"layouts/_default/baseof.html", []byte(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a> · <a href="{{ "/root_causes/" | relURL }}">Root causes</a> · <a href="{{ "/services/" | relURL }}">Services</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
`)},
		{"layouts/_default/single.html", []byte(`{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .Params.severity }}</p>
<p>Root causes: {{ range .GetTerms "root_causes" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p>Services: {{ range .GetTerms "services" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
<h2>Related incidents</h2>
<ul>{{ range first 5 (site.RegularPages.Related .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</article>
{{ end }}
`)},
		{"layouts/_default/list.html", []byte(`{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>
{{ end }}
`)},
		{"layouts/_default/terms.html", []byte(`{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
`)},
	}
}
