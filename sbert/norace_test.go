//go:build !race

package sbert

const raceEnabled = false
