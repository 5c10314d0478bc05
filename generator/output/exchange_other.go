//go:build !linux

package output

// exchange swaps the folders at a and b in one step where the system can;
// here it returns errNoExchange, and the swap takes two renames.
func exchange(a, b string) error { return errNoExchange }
