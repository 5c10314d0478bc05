package postmortem

import "github.com/postmortem/postmortem/generator/config"

// Lines holds the file line of the key of each field, by the field's place
// in config.FieldNames, 0 for a field the file does not give: four bytes a
// field, where a map by name took 900 (87 MB at 100,000 postmortems).
type Lines []int32

// fieldAt is the place of each field in config.FieldNames.
var fieldAt = func() map[string]int {
	m := make(map[string]int, len(config.FieldNames))
	for i, f := range config.FieldNames {
		m[f] = i
	}
	return m
}()

// Of returns the line of the key of field (our name of it, as
// config.FieldNames has it), 0 when the file does not give it.
func (l Lines) Of(field string) int {
	if i, ok := fieldAt[field]; ok && i < len(l) {
		return int(l[i])
	}
	return 0
}

// set notes line as that of the key of field, one of config.FieldNames:
// any other name is a mistake of this package's.
func (l Lines) set(field string, line int) {
	i, ok := fieldAt[field]
	if !ok {
		panic("postmortem: no field " + field)
	}
	l[i] = int32(line)
}
