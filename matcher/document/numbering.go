package document

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// numbering holds the list definitions of a DOCX (word/numbering.xml), so
// that numbered paragraphs get the numbers Word shows ("1.", "a)"); bullets
// get nothing.
type numbering struct {
	abstract map[string]*[9]numLevel // abstractNumId → its levels
	nums     map[string]string       // numId → abstractNumId
	counts   map[string]*[9]int      // numId → the last number of each level
	// while reading numbering.xml
	curAbstract, curNum string
	curLevel            int
}

type numLevel struct {
	format, text string
	start        int
}

// maxListNumber bounds the numbers a DOCX may claim (w:start).
const maxListNumber = 1 << 20

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func (n *numbering) start(e xml.StartElement) {
	switch e.Name.Local {
	case "abstractNum":
		n.curAbstract, n.curNum = attr(e, "abstractNumId"), ""
		if len(n.abstract) < 4096 {
			n.abstract[n.curAbstract] = &[9]numLevel{}
		}
	case "num":
		n.curNum, n.curAbstract = attr(e, "numId"), ""
	case "abstractNumId":
		if n.curNum != "" && len(n.nums) < 4096 {
			n.nums[n.curNum] = attr(e, "val")
		}
	case "lvl":
		n.curLevel, _ = strconv.Atoi(attr(e, "ilvl"))
	case "numFmt", "lvlText", "start":
		levels := n.abstract[n.curAbstract]
		if levels == nil || n.curLevel < 0 || n.curLevel > 8 {
			return
		}
		l := &levels[n.curLevel]
		switch v := attr(e, "val"); e.Name.Local {
		case "numFmt":
			l.format = v
		case "lvlText":
			l.text = v
		case "start":
			if s, err := strconv.Atoi(v); err == nil && s >= 0 && s < maxListNumber {
				l.start = s
			}
		}
	}
}

func (n *numbering) end(xml.EndElement) {}
func (n *numbering) text([]byte)        {}

// label returns the number of the next paragraph of list numID at level
// ilvl ("" for bullets and unknown lists), counting it.
func (n *numbering) label(numID string, ilvl int) string {
	levels := n.abstract[n.nums[numID]]
	if levels == nil || ilvl < 0 || ilvl > 8 {
		return ""
	}
	c := n.counts[numID]
	if c == nil {
		if len(n.counts) >= 4096 {
			return ""
		}
		c = &[9]int{}
		n.counts[numID] = c
	}
	if c[ilvl] == 0 {
		c[ilvl] = levels[ilvl].start
	} else {
		c[ilvl]++
	}
	for k := ilvl + 1; k < 9; k++ {
		c[k] = 0 // a deeper list starts again
	}
	if levels[ilvl].format == "bullet" || levels[ilvl].format == "none" || levels[ilvl].format == "" {
		return ""
	}
	label := levels[ilvl].text
	for k := 0; k <= ilvl; k++ {
		label = strings.ReplaceAll(label, "%"+strconv.Itoa(k+1), formatNumber(max(c[k], levels[k].start), levels[k].format))
	}
	return label + " "
}

// formatNumber writes n in a Word number format; formats other than these
// are written as decimals.
func formatNumber(n int, format string) string {
	switch format {
	case "lowerLetter", "upperLetter":
		if n < 1 {
			return strconv.Itoa(n)
		}
		s := strings.Repeat(string(rune('a'+(n-1)%26)), (n-1)/26+1)
		if format == "upperLetter" {
			s = strings.ToUpper(s)
		}
		return s
	case "lowerRoman", "upperRoman":
		if n < 1 || n >= 4000 {
			return strconv.Itoa(n)
		}
		s := roman(n)
		if format == "lowerRoman" {
			s = strings.ToLower(s)
		}
		return s
	}
	return strconv.Itoa(n)
}

func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
