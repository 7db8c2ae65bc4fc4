//go:build unix && !linux

package packfile

const mapPopulate = 0
