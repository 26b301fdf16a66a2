package main

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"slices"
)

const (
	numChars     = "0123456789"
	lowerChars   = "abcdefghijklmnopqrstuvwxyz"
	upperChars   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	specialChars = "!@#$%&*()-_=+[]{}<>:?"
)

// params are a resource's effective settings, upstream's defaults applied.
type params struct {
	length                                     int64
	upper, lower, numeric, special             bool
	minUpper, minLower, minNumeric, minSpecial int64
	overrideSpecial                            string
}

func (p params) validate() error {
	if p.length < 1 {
		return fmt.Errorf("length: %d is below 1", p.length)
	}
	mins := p.minUpper + p.minLower + p.minNumeric + p.minSpecial
	if mins > p.length {
		return fmt.Errorf("length: %d is shorter than the sum of the minimums (%d)", p.length, mins)
	}
	if !p.upper && !p.lower && !p.numeric && !p.special {
		return fmt.Errorf("at least one of upper, lower, numeric or special must be true")
	}
	return nil
}

// generate follows terraform-provider-random's CreateString: each class's minimum first,
// the rest from every enabled class, then a random order.
func (p params) generate() (string, error) {
	special := specialChars
	if p.overrideSpecial != "" {
		special = p.overrideSpecial
	}
	chars := ""
	if p.upper {
		chars += upperChars
	}
	if p.lower {
		chars += lowerChars
	}
	if p.numeric {
		chars += numChars
	}
	if p.special {
		chars += special
	}
	result := make([]byte, 0, p.length)
	for _, m := range []struct {
		set string
		n   int64
	}{{numChars, p.minNumeric}, {lowerChars, p.minLower}, {upperChars, p.minUpper}, {special, p.minSpecial}} {
		picked, err := pick(m.set, m.n)
		if err != nil {
			return "", err
		}
		result = append(result, picked...)
	}
	rest, err := pick(chars, p.length-int64(len(result)))
	if err != nil {
		return "", err
	}
	result = append(result, rest...)
	return string(shuffle(result)), nil
}

func pick(set string, n int64) ([]byte, error) {
	out := make([]byte, 0, max(n, 0))
	for range n {
		i, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			return nil, err
		}
		out = append(out, set[i.Int64()])
	}
	return out, nil
}

func shuffle(b []byte) []byte {
	out := slices.Clone(b)
	for i := len(out) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			panic(err)
		}
		out[i], out[j.Int64()] = out[j.Int64()], out[i]
	}
	return out
}
