package config

import "strings"

// closest returns the candidate nearest to s by edit distance (case-insensitive),
// or "" when nothing is close enough to be a plausible typo.
func closest(s string, candidates []string) string {
	best, bestDist := "", len(s)/2+2
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// unknownKeyProblem explains an unknown key with the allowed ones and, when
// one is close, the likely intended spelling.
func unknownKeyProblem(name string, known []string) string {
	msg := "unknown key; allowed: " + strings.Join(known, ", ")
	if s := closest(name, known); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return msg
}
