package search

// NodePath is nodePath, for the tests of package search_test.
var NodePath = nodePath
