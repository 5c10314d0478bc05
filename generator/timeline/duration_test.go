package timeline

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		name, body string
		loc        *time.Location
		start, end string // UTC; "" when not ok
	}{
		{"seed form, zone in brackets and lower case", "Issue Summary:\nDuration: August 6, 2023, 08:00 AM - August 6, 2023, 11:30 AM (wat) \nImpact: down.\n", time.UTC,
			"2023-08-06T07:00:00Z", "2023-08-06T10:30:00Z"},
		{"ISO start, time-only end, zone at the end", "**Duration:** 2023-08-06 08:00 - 11:30 UTC", lagos,
			"2023-08-06T08:00:00Z", "2023-08-06T11:30:00Z"},
		{"times only take day", "Duration: 08:00–11:30 WAT", time.UTC,
			"2023-08-06T07:00:00Z", "2023-08-06T10:30:00Z"},
		{"times only, hyphen without spaces, postmortem zone", "- Duration: 08:00-11:30", lagos,
			"2023-08-06T07:00:00Z", "2023-08-06T10:30:00Z"},
		{"times only past midnight", "Duration: 23:10 — 00:40 CET", time.UTC, // CET in August: the local time, CEST
			"2023-08-06T21:10:00Z", "2023-08-06T22:40:00Z"},
		{"day-month-year with 'to'", "Duration: 6 Aug 2023 10:00 to 7 Aug 2023 09:00", time.UTC,
			"2023-08-06T10:00:00Z", "2023-08-07T09:00:00Z"},
		{"a zone on each side", "Duration: Aug. 6th, 2023 at 10:00 AM EDT until 1:15 PM PDT", time.UTC,
			"2023-08-06T14:00:00Z", "2023-08-06T20:15:00Z"},
		{"span inside the line", "Duration: 3.5 hours (08:00 AM - 11:30 AM), all times in UTC+2", time.UTC,
			"2023-08-06T06:00:00Z", "2023-08-06T09:30:00Z"},
		{"table row", "| Duration | 2023-08-06T08:00Z - 2023-08-06T09:00Z |", lagos,
			"2023-08-06T08:00:00Z", "2023-08-06T09:00:00Z"},
		{"the first readable Duration line", "Duration: about three hours\nDuration: 10:00 - 11:00 UTC\n", time.UTC,
			"2023-08-06T10:00:00Z", "2023-08-06T11:00:00Z"},
		{"no span", "Duration: about three hours", time.UTC, "", ""},
		{"one time", "Duration: 08:00 UTC", time.UTC, "", ""},
		{"dated end before start", "Duration: August 7, 2023, 08:00 - August 6, 2023, 07:00", time.UTC, "", ""},
		{"no such date", "Duration: February 30, 2023, 08:00 - 09:00", time.UTC, "", ""},
		{"bad hour", "Duration: 08:00 - 24:30", time.UTC, "", ""},
		{"not at the start of a line", "The duration: 08:00 - 09:00", time.UTC, "", ""},
		{"no Duration line", "Started: 08:00\nEnded: 09:00\n", time.UTC, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, tc.loc)
			s, e, ok := ParseDuration([]byte(tc.body), d, tc.loc)
			if tc.start == "" {
				if ok {
					t.Errorf("got %v - %v, want nothing", s.UTC(), e.UTC())
				}
				return
			}
			if !ok || s.UTC().Format(time.RFC3339) != tc.start || e.UTC().Format(time.RFC3339) != tc.end {
				t.Errorf("got %v - %v (%v), want %s - %s", s.UTC(), e.UTC(), ok, tc.start, tc.end)
			}
		})
	}
}
