package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
)

// FlowHeader is the header of the synthetic flow monitoring survey CSV, in
// the manner of a Kobo export of DTM's FMS questionnaire.
var FlowHeader = []string{
	"Survey Date", "FMP ID", "FMP Name", "Direction", "Respondent ID", "Sex", "Age", "Nationality",
	"Country of Birth", "Origin Country", "Origin Admin 1", "Origin Admin 2", "Destination Country",
	"Destination Admin 1", "Destination Admin 2", "Group Size", "Unaccompanied Minor",
	"Reasons for Leaving", "Education", "Employment Status", "Intended Stay",
}

// FlowHXL is the HXL hashtag row under FlowHeader.
var FlowHXL = []string{
	"#date+survey", "#loc+fmp+code", "#loc+fmp+name", "#direction", "#respondent+id", "#respondent+sex",
	"#respondent+age", "#respondent+nationality", "#respondent+birth+country", "#country+origin",
	"#adm1+origin", "#adm2+origin", "#country+dest", "#adm1+dest", "#adm2+dest", "#group+size",
	"#indicator+unaccompanied", "#cause+leave", "#indicator+education", "#indicator+employment",
	"#indicator+stay",
}

var (
	flowFMPs      = []string{"Agadez bus station", "Séguédine", "Arlit", "Madama", "Assamaka", "Dirkou"}
	flowNations   = []string{"NER", "NGA", "MLI", "TCD", "SDN", "GIN", "CIV", "SEN"}
	flowDirection = []string{"Outgoing", "Incoming"}
	flowReasons   = []string{"Economic", "Economic; Family", "Conflict", "Seasonal", "Education", "Tourism; Family"}
	flowEdu       = []string{"None", "Primary", "Secondary", "Higher", "Koranic"}
	flowEmploy    = []string{"Employed", "Unemployed, looking", "Unemployed, not looking", "Student", "Self-employed"}
	flowStay      = []string{"Less than 3 months", "3 to 6 months", "More than 6 months", "Don't know"}
)

// WriteFlowCSV writes a deterministic flow survey CSV of n data rows.
func WriteFlowCSV(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	writeLine(bw, FlowHeader)
	writeLine(bw, FlowHXL)
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	var buf []byte
	for i := range n {
		fmp := rng.IntN(len(flowFMPs))
		sex := "Male"
		if rng.IntN(4) == 0 {
			sex = "Female"
		}
		nat := pick(flowNations)
		cells := []string{
			fmt.Sprintf("%02d/%02d/2025", 1+rng.IntN(28), 1+rng.IntN(12)),
			fmt.Sprintf("NER-FMP-%02d", fmp+1), flowFMPs[fmp], pick(flowDirection),
			fmt.Sprintf("R%08d", i+1), sex, strconv.Itoa(15 + rng.IntN(50)), nat, nat,
			nat, nat + "0" + strconv.Itoa(1+rng.IntN(8)), nat + "0" + strconv.Itoa(1+rng.IntN(8)) + "0" + strconv.Itoa(1+rng.IntN(9)),
			pick([]string{"LBY", "DZA", "NER"}), "Admin 1 " + strconv.Itoa(1+rng.IntN(5)), "",
			strconv.Itoa(1 + rng.IntN(6)), pick([]string{"Yes", "No", "No", "No"}), pick(flowReasons),
			pick(flowEdu), pick(flowEmploy), pick(flowStay),
		}
		buf = buf[:0]
		for j, s := range cells {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = appendField(buf, s)
		}
		if _, err := bw.Write(append(buf, '\n')); err != nil {
			return err
		}
	}
	return bw.Flush()
}
