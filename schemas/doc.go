// Package schemas declares dtm's canonical datasets: for every field its
// typed attributes (Kind, Unit: counts of persons or households,
// Vocabulary and Normaliser, Encoding hint, Sensitivity, PlaceCode,
// Required), description, HXL tag and the header aliases seen in real DTM
// files; and the provenance columns every record carries. Registry is the
// one list of kinds. It is a leaf package: it imports
// nothing of dtm, and everything else may import it.
//
// Contracts:
//   - Field names are stable (saved queries depend on them); a change that
//     renames or retypes a field bumps the dataset Version.
//   - Fields of sensitivity Personal never reach Parquet: the transform stage
//     drops or pseudonymises them.
package schemas
