// Where to search: the centre line of the DP band.
//
// FindAnchors pairs sentences that share rare match ids (numbers, names,
// Latin words, rare dictionary translations: ids found in at most three
// sentences on each side), keeps the heaviest chain that is monotone on both
// sides, and BandCentre interpolates between the anchors, so the band follows
// the documents' real diagonal even when one side has long insertions.
// PathCentre turns an alignment into a centre line for a refining pass.
#ifndef QANTARA_SERVICE_ALIGN_ANCHORS_H_
#define QANTARA_SERVICE_ALIGN_ANCHORS_H_

#include <vector>

#include "service/align/dp.h"
#include "service/align/features.h"

namespace qantara::align {

struct Anchor {
  int ar = 0;
  int en = 0;
  double weight = 0;
};

// The anchor chain, increasing in both `ar` and `en`.
std::vector<Anchor> FindAnchors(const DocumentFeatures& ar, const DocumentFeatures& en);

// For every row i in [0, n] (n Arabic sentences), the English position the
// band is centred on: piecewise linear through the anchors (at (ar + 0.5,
// en + 0.5)), continued before the first and after the last anchor with the
// anchors' overall slope and clamped to [0, m]; the diagonal without
// anchors. Non-decreasing.
std::vector<double> BandCentre(const std::vector<Anchor>& anchors, int n, int m);

// The centre line of an alignment: row i is centred on the English position
// of the bead boundary at or after Arabic sentence i.
std::vector<double> PathCentre(const std::vector<Bead>& beads, int n, int m);

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_ANCHORS_H_
