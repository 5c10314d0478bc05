package search

// ReadTexts lets the tests of package search_test read a file of texts.
var ReadTexts = readTexts
