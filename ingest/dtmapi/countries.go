package dtmapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// Country is one entry of the API's country list.
type Country struct {
	// Name is the country as the API names it (the CountryName parameter).
	Name string
	// ISO3 is its admin0 p-code (the Admin0Pcode parameter).
	ISO3 string
}

// Countries returns the countries the API has displacement figures for
// (GET /v3/displacement/country-list), in the API's order.
func (c *Client) Countries(ctx context.Context) ([]Country, error) {
	const path = "/v3/displacement/country-list"
	body, err := c.get(ctx, path, nil)
	if err != nil {
		return nil, err
	}
	type entry struct {
		Admin0Name  string `json:"admin0Name"`
		Admin0Pcode string `json:"admin0Pcode"`
	}
	var env struct {
		Result []entry `json:"result"`
	}
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '[' {
		err = json.Unmarshal(t, &env.Result)
	} else {
		err = json.Unmarshal(body, &env)
	}
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w: %w", path, ErrMalformed, err)
	}
	out := make([]Country, 0, len(env.Result))
	for _, r := range env.Result {
		out = append(out, Country{Name: strings.TrimSpace(r.Admin0Name), ISO3: strings.TrimSpace(r.Admin0Pcode)})
	}
	return out, nil
}
