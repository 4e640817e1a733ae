package pipeline

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/testutil"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

const flowDir = "../../testdata/flow"

// flowSecrets are the direct identifiers of the flow fixtures: none may
// appear anywhere dtm writes.
var flowSecrets = []string{
	// respondent names
	"Amina Zakaria Issakha", "Haroun Abakar Djibrine", "Ousmane Taher Saleh", "Zenaba Youssouf Hassan",
	"Abdelkerim Nour Adoum", "Mahamat Saleh Annadif", "Ali Hassaballah Moussa", "Brahim Adam Torbo",
	"Hawa Abdoulaye Kodi", "Achta Djimet Wardougou", "Jean-Pierre Ngono Essomba", "Paul Biya Mbarga",
	"Fatime Ahmat Acyl", "Yaya Dillo Djerou", "Aïcha Moussa Dan Baba", "Mariama Issoufou Garba",
	"Abakar Hissein Tahir", "Nafissa Omer Bashir", "Hadiza Boubacar Kountché", "Chinedu Okafor Emeka",
	// enumerators and Kobo accounts
	"Idriss Mahamat Goukouni", "Khadija Ali Brahim", "Ibrahim Souley Maïga",
	"enum_goukouni_idriss", "enum_brahim_khadija", "enq_maiga_ibrahim",
	// device ids and submission uuids
	"collect:Qx7Lm2Pz9Rk4Vw1A", "Qx7Lm2Pz9Rk4Vw1A", "Bn3Hj8Kt5Yc6Ds2E", "Tz4Wq8Nm1Lp5Rs3F",
	"4b1f0c5e-7d2a-4c1e-9a0b", "9c8d7e6f-1a2b-4c3d-8e9f",
	// free text and raw respondent ids
	"met him at the bus stop", "phone of uncle", "NER-F1", "NER-F6",
}

// flowPhones are the fixtures' phone numbers, compared digits only.
var flowPhones = []string{
	"+235 66 12 34 01", "+235 66 12 34 04", "+235 99 87 65 10", "+237 6 77 12 34 11", "+235 99 87 65 14",
	"+227 96 11 22 01", "+235 66 55 44 03", "+249 91 234 5604", "+227 96 11 22 05", "+234 803 555 0106",
}

var nonDigit = regexp.MustCompile(`[^0-9]`)

// leakScanner fails the test on any secret in a text.
type leakScanner struct {
	t       *testing.T
	scanned int
	errorf  func(format string, args ...any) // t.Errorf unless set
}

func (s *leakScanner) scan(where, text string) {
	s.t.Helper()
	s.scanned++
	if s.errorf == nil {
		s.errorf = s.t.Errorf
	}
	low := strings.ToLower(text)
	for _, sec := range flowSecrets {
		if strings.Contains(low, strings.ToLower(sec)) {
			s.errorf("%s contains the identifier %q", where, sec)
		}
	}
	digits := nonDigit.ReplaceAllString(text, "")
	for _, p := range flowPhones {
		if strings.Contains(digits, nonDigit.ReplaceAllString(p, "")) {
			s.errorf("%s contains the phone number %q", where, p)
		}
	}
}

// frSurveyXLSX writes the French survey fixture as a workbook, with a title
// row above the header as Kobo-derived reports have.
func frSurveyXLSX(t *testing.T, path string) {
	b, err := os.ReadFile(filepath.Join(flowDir, "fms_kobo_fr.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{{"Enquête de suivi des flux - Niger - février 2023"}}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r []any
		for _, c := range strings.Split(line, ";") {
			r = append(r, c)
		}
		rows = append(rows, r)
	}
	testutil.WriteXLSX(t, path, []testutil.Sheet{{Name: "données", Rows: rows}})
}

func runFlow(t *testing.T, wh, key string, log *zap.Logger, inputs []Input) *RunResult {
	t.Helper()
	res, err := Run(context.Background(), Config{
		Warehouse: wh, Registry: schemas.Default(), Logger: log, RunID: "flow-test",
		Command: "test", PseudonymKey: key,
	}, inputs)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Sources {
		if s.Status != StatusCommitted {
			t.Fatalf("%s: %s %v", s.File, s.Status, s.Errors)
		}
	}
	return res
}

func rowsOf(t *testing.T, db *query.DB, sql string) []string {
	t.Helper()
	res, err := db.Query(context.Background(), sql)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range res.Rows {
		cells := make([]string, len(r))
		for i, v := range r {
			cells[i] = sinks.FormatValue(v)
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func wantRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot\n  %s\nwant\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func pseudonym(key, id string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

func TestFlowEndToEnd(t *testing.T) {
	ctx := context.Background()
	wh := t.TempDir()
	var logBuf bytes.Buffer
	log := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(&logBuf), zap.DebugLevel))
	const key = "test-pseudonym-key"
	res := runFlow(t, wh, key, log, []Input{
		{Path: filepath.Join(flowDir, "fmr_daily_en.csv"), Kind: "flow_registry"},
		{Path: filepath.Join(flowDir, "fmr_monthly_fr.csv"), Kind: "flow_registry"},
		{Path: filepath.Join(flowDir, "fms_kobo_en.csv"), Kind: "flow_survey"},
		{Path: filepath.Join(flowDir, "fms_kobo_fr.csv"), Kind: "flow_survey"},
	})
	if res.RowsIn != 32 || res.RowsWritten != 30 || res.RowsRejected != 2 {
		t.Errorf("rows in/written/rejected = %d/%d/%d, want 32/30/2", res.RowsIn, res.RowsWritten, res.RowsRejected)
	}
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Registry: daily (English) and monthly (French) normalised.
	wantRows(t, "registry", rowsOf(t, db, `SELECT country_iso3, fmp_id, period_start, period_end, period_type, direction,
		origin_country, final_destination_country, nationality, sex, sex_label, age_group, age_label, transport_mode,
		individuals, coalesce(CAST(uac AS VARCHAR), 'NULL'), coalesce(array_to_string(reasons, ','), 'NULL')
		FROM flow_registry ORDER BY source_file, source_row`), []string{
		"TCD|FMP01|2023-01-15|2023-01-15|day|incoming|SDN|LBY|SDN|male|Male|18+|18+|truck|12|NULL|economic",
		"TCD|FMP01|2023-01-15|2023-01-15|day|incoming|SDN|LBY|SDN|female|Female|18+|18+|truck|3|0|conflict",
		"TCD|FMP01|2023-01-15|2023-01-15|day|outgoing|TCD|DZA|TCD|male|male|0-17|under 18|bus|7|2|economic,family",
		"TCD|FMP01|2023-01-16|2023-01-16|day|incoming|CMR|OOO|CMR|male|M|18+|adults|foot|5|NULL|family",
		"TCD|FMP02|2023-01-16|2023-01-16|day|outgoing|TCD|ITA|TCD|female|Female|0-17|children|car|4|1|",
		"TCD|FMP02|2023-01-30|2023-01-30|day|incoming|OOO|TCD|OOO|unknown|NS/NR|18+|18+|motorbike|6|NULL|NULL",
		"NER|FMP10|2023-01-01|2023-01-31|month|incoming|LBY|NER|NER|male|Homme|18+|adultes|truck|120|NULL|economic",
		"NER|FMP10|2023-01-01|2023-01-31|month|outgoing|NER|LBY|TCD|female|Femme|0-17|enfants|foot|8|3|conflict",
		"NER|FMP10|2023-02-01|2023-02-28|month|incoming|OOO|NER|SDN|male|Homme|18+|18+|car|40|0|economic,conflict",
		"NER|FMP11|2023-02-01|2023-02-28|month|outgoing|NER|DZA|NER|female|Femme|0-17|moins de 18 ans|motorbike|15|NULL|",
	})
	wantRows(t, "registry rejects", rowsOf(t, db, `SELECT row, "column", code, severity FROM rejects WHERE file LIKE '%fmr_daily_en.csv' ORDER BY row`),
		[]string{"8|t|type-error|error", "9|t|missing-cell|error"})

	// Survey: pseudonyms, sex labels in three languages, exact age and bands.
	wantRows(t, "survey FR", rowsOf(t, db, `SELECT respondent_key, coalesce(CAST(period_start AS VARCHAR), 'NULL'), direction, nationality, birth_country,
		sex, sex_label, coalesce(CAST(age AS VARCHAR), 'NULL'), age_label, age_band, age_group, CAST(uam AS VARCHAR), destination_country, group_size, array_to_string(reasons, ',')
		FROM flow_survey WHERE country_iso3 = 'NER' ORDER BY source_row`), []string{
		pseudonym(key, "NER-F1") + "|2023-02-03|incoming|NER|NER|male|Homme|30|30|25-34|18+|false|LBY|1|economic",
		pseudonym(key, "NER-F2") + "|2023-02-03|incoming|NER|NER|female|Femme|23|23|18-24|18+|false|LBY|2|economic",
		pseudonym(key, "NER-F3") + "|2023-02-04|outgoing|TCD|TCD|male|Homme|41|41|35-44|18+|false|TCD|1|conflict",
		pseudonym(key, "NER-F4") + "|2023-02-04|outgoing|SDN|SDN|unknown|NS/NR|38|38|35-44|18+|false|LBY|3|economic,conflict",
		pseudonym(key, "NER-F5") + "|NULL|outgoing|NER|NER|other|Otra designación|17|17 ans|0-17|0-17|true|DZA|1|economic",
		pseudonym(key, "NER-F6") + "|2023-02-05|incoming|NGA|NGA|female|Femme|NULL|25-34|25-34|18+|false|LBY|2|economic",
	})
	wantRows(t, "survey EN sample", rowsOf(t, db, `SELECT respondent_key, fmp_country, origin_admin1, origin_admin2, final_destination_country, intended_stay, education
		FROM flow_survey WHERE country_iso3 = 'TCD' AND source_row IN (2, 15) ORDER BY source_row`), []string{
		pseudonym(key, "R01") + "|TCD|West Darfur|Geneina|LBY|1-3 months|Secondary",
		pseudonym(key, "R14") + "|TCD|||TCD|more than 6 months|", // "None" is a missing-value token
	})
	// The dropped identifier columns are reported, by column name only.
	wantRows(t, "personal-data notices", rowsOf(t, db, `SELECT "column", value FROM rejects WHERE code = 'personal-data' AND file LIKE '%fms_kobo_en.csv' ORDER BY "column"`),
		[]string{"_submitted_by|", "_uuid|", "contact_details|", "deviceid|", "enumerator|", "phone_number|", "remarks|", "respondent_id|", "respondent_name|"})

	// Figures, hand-computed from the fixtures.
	fig := func(name string, params map[string]string) *query.Result {
		f, err := query.LookupFigure(name)
		if err != nil {
			t.Fatal(err)
		}
		r, err := db.Run(ctx, f, params, query.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	flat := func(r *query.Result) []string {
		var out []string
		for _, row := range r.Rows {
			cells := make([]string, len(row))
			for i, v := range row {
				cells[i] = sinks.FormatValue(v)
			}
			out = append(out, strings.Join(cells, "|"))
		}
		return out
	}
	wantRows(t, "flows TCD FMP01 2023-01-15 incoming", filter(flat(fig("flows", map[string]string{"country": "TCD", "direction": "incoming"})), "|FMP01|Kalait|incoming|2023-01-15|"), []string{
		"TCD|FMP01|Kalait|incoming|2023-01-15|2023-01-15|day|total|total|15",
		"TCD|FMP01|Kalait|incoming|2023-01-15|2023-01-15|day|nationality|SDN|15",
		"TCD|FMP01|Kalait|incoming|2023-01-15|2023-01-15|day|sex|female|3",
		"TCD|FMP01|Kalait|incoming|2023-01-15|2023-01-15|day|sex|male|12",
		"TCD|FMP01|Kalait|incoming|2023-01-15|2023-01-15|day|transport_mode|truck|15",
	})
	wantRows(t, "flows NER by month, totals", filter(flat(fig("flows", map[string]string{"country": "NER", "period": "month"})), "|total|total|"), []string{
		"NER|FMP10|Madama|incoming|2023-01-01|2023-01-31|month|total|total|120",
		"NER|FMP10|Madama|incoming|2023-02-01|2023-02-28|month|total|total|40",
		"NER|FMP10|Madama|outgoing|2023-01-01|2023-01-31|month|total|total|8",
		"NER|FMP11|Séguédine|outgoing|2023-02-01|2023-02-28|month|total|total|15",
	})
	wantRows(t, "flows TCD by month", filter(flat(fig("flows", map[string]string{"country": "TCD", "period": "month"})), "|FMP01|Kalait|incoming|2023-01-01|2023-01-31|month|total|"), []string{
		"TCD|FMP01|Kalait|incoming|2023-01-01|2023-01-31|month|total|total|20",
	})
	wantRows(t, "flow-routes", flat(fig("flow-routes", nil)), []string{
		"NER|LBY|NER|120|1|1",
		"NER|OOO|NER|40|1|1",
		"NER|NER|DZA|15|1|1",
		"NER|NER|LBY|8|1|1",
		"TCD|SDN|LBY|15|1|2",
		"TCD|TCD|DZA|7|1|1",
		"TCD|OOO|TCD|6|1|1",
		"TCD|CMR|OOO|5|1|1",
		"TCD|TCD|ITA|4|1|1",
	})
	// Survey profile with suppression (min cell 5). TCD: 14 respondents;
	// female 4 is primary, male 10 secondary (else 14-4 reveals it); age
	// bands 1/3/1/1/1 primary, their sum 7 = 14-7 leaves each open;
	// reasons have no published total: only cells below 5 go.
	wantRows(t, "survey-profile", flat(fig("survey-profile", nil)), []string{
		"NER|sex|female||true", "NER|sex|male||true", "NER|sex|other||true", "NER|sex|unknown||true", "NER|sex|total|6|false",
		"NER|age_band|0-17||true", "NER|age_band|18-24||true", "NER|age_band|25-34||true", "NER|age_band|35-44||true", "NER|age_band|total|6|false",
		"NER|nationality|NER||true", "NER|nationality|NGA||true", "NER|nationality|SDN||true", "NER|nationality|TCD||true", "NER|nationality|total|6|false",
		"NER|reason|conflict||true", "NER|reason|economic|5|false",
		"TCD|sex|female||true", "TCD|sex|male||true", "TCD|sex|total|14|false",
		"TCD|age_band|0-17||true", "TCD|age_band|18-24||true", "TCD|age_band|25-34|7|false", "TCD|age_band|35-44||true",
		"TCD|age_band|45-59||true", "TCD|age_band|60+||true", "TCD|age_band|total|14|false",
		"TCD|nationality|CMR||true", "TCD|nationality|OOO||true", "TCD|nationality|SDN|7|false", "TCD|nationality|TCD||true", "TCD|nationality|total|14|false",
		"TCD|reason|conflict||true", "TCD|reason|economic|9|false", "TCD|reason|family||true",
	})

	// No published survey cell below the threshold, for several thresholds
	// and parameters, and no line with a single suppressed member.
	for _, min := range []int{2, 3, 5, 10} {
		for _, params := range []map[string]string{nil, {"country": "TCD"}, {"direction": "incoming"}, {"from": "2023-01-16"}} {
			f, _ := query.LookupFigure("survey-profile")
			r, err := db.Run(ctx, f, params, query.RunOptions{MinCell: min})
			if err != nil {
				t.Fatal(err)
			}
			checkProfile(t, r, min)
		}
	}

	// Privacy: scan everything written.
	sc := &leakScanner{t: t}
	scanWarehouse(t, db, wh, sc, 6)
	sc.scan("log output", logBuf.String())
	exportDir := t.TempDir()
	for _, name := range []string{"flows", "flow-routes", "survey-profile"} {
		exportAll(t, sc, name, fig(name, nil), exportDir)
	}
	rj, err := db.Query(ctx, "SELECT * FROM rejects")
	if err != nil {
		t.Fatal(err)
	}
	exportAll(t, sc, "rejects", rj, exportDir)
	for _, ds := range []string{"flow_registry", "flow_survey"} {
		all, err := db.Query(ctx, "SELECT * FROM "+ds)
		if err != nil {
			t.Fatal(err)
		}
		exportAll(t, sc, ds, all, exportDir)
	}
	if sc.scanned < 20 {
		t.Fatalf("only %d texts scanned", sc.scanned)
	}
	if !strings.Contains(logBuf.String(), "fms_kobo_en.csv") {
		t.Error("the log buffer did not capture the run")
	}
}

func filter(rows []string, sub string) []string {
	var out []string
	for _, r := range rows {
		if strings.Contains(r, sub) {
			out = append(out, r)
		}
	}
	return out
}

// checkProfile asserts the suppression promises on a survey-profile result.
func checkProfile(t *testing.T, r *query.Result, min int) {
	t.Helper()
	col := map[string]int{}
	for i, c := range r.Columns {
		col[c] = i
	}
	suppressedIn := map[string]int{}
	hasTotal := map[string]bool{}
	for _, row := range r.Rows {
		line := fmt.Sprint(row[col["country_iso3"]], "/", row[col["dimension"]])
		v := row[col["respondents"]]
		if row[col["category"]] == "total" {
			hasTotal[line] = true
		}
		if v == nil {
			suppressedIn[line]++
			continue
		}
		if n := v.(int64); n > 0 && n < int64(min) {
			t.Errorf("min %d: published cell %v = %d", min, row, n)
		}
	}
	for line, n := range suppressedIn {
		if hasTotal[line] && n == 1 {
			t.Errorf("min %d: line %s has one suppressed cell and a published total", min, line)
		}
	}
}

// scanWarehouse scans every file under the warehouse: raw bytes, and every
// value of every Parquet file (data and rejects) read back through DuckDB.
func scanWarehouse(t *testing.T, db *query.DB, wh string, sc *leakScanner, minParquet int) {
	t.Helper()
	nParquet := 0
	err := filepath.Walk(wh, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sc.scan(p+" (bytes)", string(b))
		if strings.HasSuffix(p, ".parquet") {
			nParquet++
			res, err := db.Query(context.Background(), "SELECT * FROM read_parquet('"+strings.ReplaceAll(p, "'", "''")+"')")
			if err != nil {
				return err
			}
			var buf strings.Builder
			for _, row := range res.Rows {
				for _, v := range row {
					buf.WriteString(fmt.Sprint(v))
					buf.WriteByte('\n')
				}
			}
			sc.scan(p, buf.String())
			md, err := db.Query(context.Background(), "SELECT * FROM parquet_kv_metadata('"+strings.ReplaceAll(p, "'", "''")+"')")
			if err == nil {
				sc.scan(p+" (metadata)", fmt.Sprint(md.Rows))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if nParquet < minParquet {
		t.Fatalf("only %d Parquet files found in the warehouse", nParquet)
	}
}

// exportAll writes a result as CSV (with and without HXL), JSON and JSON
// lines, and scans each.
func exportAll(t *testing.T, sc *leakScanner, name string, r *query.Result, dir string) {
	t.Helper()
	tab := &sinks.Table{Columns: r.Columns, Types: r.Types, Rows: r.Rows}
	for _, f := range []struct {
		ext   string
		write func(*bytes.Buffer) error
	}{
		{"csv", func(b *bytes.Buffer) error { return sinks.WriteCSV(b, tab, false) }},
		{"hxl.csv", func(b *bytes.Buffer) error { return sinks.WriteCSV(b, tab, true) }},
		{"json", func(b *bytes.Buffer) error { return sinks.WriteJSON(b, tab, false) }},
		{"jsonl", func(b *bytes.Buffer) error { return sinks.WriteJSON(b, tab, true) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			t.Fatalf("export %s.%s: %v", name, f.ext, err)
		}
		if b.Len() == 0 {
			t.Fatalf("export %s.%s is empty", name, f.ext)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"."+f.ext), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		sc.scan("export "+name+"."+f.ext, b.String())
	}
}

// TestFlowSurveyXLSXWithoutKey reads the French survey as a workbook with no
// pseudonym key: the same values as from CSV, respondent ids dropped and
// said so, and no identifier anywhere.
func TestFlowSurveyXLSXWithoutKey(t *testing.T) {
	ctx := context.Background()
	wh := t.TempDir()
	xlsx := filepath.Join(t.TempDir(), "fms_kobo_fr.xlsx")
	frSurveyXLSX(t, xlsx)
	var logBuf bytes.Buffer
	log := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(&logBuf), zap.DebugLevel))
	runFlow(t, wh, "", log, []Input{{Path: xlsx, Kind: "flow_survey"}})
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wantRows(t, "survey FR from XLSX", rowsOf(t, db, `SELECT coalesce(respondent_key, 'NULL'), coalesce(CAST(period_start AS VARCHAR), 'NULL'), direction, nationality,
		sex, sex_label, coalesce(CAST(age AS VARCHAR), 'NULL'), age_band, CAST(uam AS VARCHAR)
		FROM flow_survey ORDER BY source_row`), []string{
		"NULL|2023-02-03|incoming|NER|male|Homme|30|25-34|false",
		"NULL|2023-02-03|incoming|NER|female|Femme|23|18-24|false",
		"NULL|2023-02-04|outgoing|TCD|male|Homme|41|35-44|false",
		"NULL|2023-02-04|outgoing|SDN|unknown|NS/NR|38|35-44|false",
		"NULL|NULL|outgoing|NER|other|Otra designación|17|0-17|true",
		"NULL|2023-02-05|incoming|NGA|female|Femme|NULL|25-34|false",
	})
	wantRows(t, "no-key notice", rowsOf(t, db, `SELECT "column", message FROM rejects WHERE code = 'personal-data' AND "column" = 'ID du répondant'`),
		[]string{"ID du répondant|respondent ids dropped: no pseudonym key (set DTM_PSEUDONYM_KEY); respondent_key left empty"})
	sc := &leakScanner{t: t}
	scanWarehouse(t, db, wh, sc, 3)
	sc.scan("log output", logBuf.String())
}

// TestLeakScannerFinds shows the scanner can fail: planted identifiers, in
// other case or with other phone separators, are found.
func TestLeakScannerFinds(t *testing.T) {
	var found []string
	sc := &leakScanner{t: t, errorf: func(f string, a ...any) { found = append(found, fmt.Sprintf(f, a...)) }}
	sc.scan("planted", `{"v":"AMINA ZAKARIA ISSAKHA","p":"235-66-12-34-01","d":"collect:Qx7Lm2Pz9Rk4Vw1A"}`)
	if len(found) != 4 { // name, phone, device id and its suffix
		t.Fatalf("found %d leaks, want 4: %v", len(found), found)
	}
	found = nil
	sc.scan("clean", "TCD|FMP01|Kalait|incoming|2023-01-15|15")
	if len(found) != 0 {
		t.Fatalf("false positives: %v", found)
	}
}
