// XLIFF 1.2 segmentation, as Trados (SDLXLIFF) and Okapi write it: a
// trans-unit's <seg-source> splits its source into <mrk mtype="seg" mid="N">
// segments, its <target> holds the translations in <mrk>s of the same mids.
// Each seg-source segment becomes a unit of its own, id "unit-id/mid", with
// its Trados status (<sdl:seg-defs><sdl:seg id="N" conf="...">) when it has
// one, else the unit's.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/formats/xliff_parser.h"

namespace qantara::formats::xliff_internal {

void XliffParser::StartSegMrk(const char** attrs) {
  in_seg_mrk_ = true;
  mrk_mid_ = AttrOr(attrs, "mid").substr(0, 200);
  mrk_line_ = stream().line();
  if (side_is_target_) target_has_mrks_ = true;
  // The segment gets a builder and code numbering of its own; the side's are
  // put back at its end.
  std::swap(builder_, outer_builder_);
  builder_.Reset(options().max_segment_bytes);
  outer_pair_counter_ = pair_counter_;
  outer_pair_keys_ = std::move(pair_keys_);
  pair_counter_ = 0;
  pair_keys_.clear();
}

void XliffParser::EndSegMrk() {
  MrkSegment m;
  m.mid = std::move(mrk_mid_);
  m.line = mrk_line_;
  if (!builder_.Finish(&m.seg)) {
    m.error = absl::StrCat(side_is_target_ ? "target: " : "source: ", builder_.error());
  } else {
    Charge(m.seg.markup.size() + m.seg.text.size() + m.mid.size());
  }
  (side_is_target_ ? seg_targets_ : seg_sources_).push_back(std::move(m));
  std::swap(builder_, outer_builder_);
  pair_counter_ = outer_pair_counter_;
  pair_keys_ = std::move(outer_pair_keys_);
  in_seg_mrk_ = false;
}

void XliffParser::EndSegmentedUnit() {
  const UnitState unit = unit_state();  // what fails the whole trans-unit
  for (size_t n = 0; n < seg_sources_.size(); ++n) {
    MrkSegment& s = seg_sources_[n];
    std::string error = std::move(s.error);
    source_ = std::move(s.seg);
    has_source_ = true;
    target_ = Segment();
    has_target_ = false;
    for (MrkSegment& t : seg_targets_) {
      if (t.mid != s.mid) continue;
      target_ = std::move(t.seg);
      has_target_ = true;
      if (error.empty()) error = std::move(t.error);
      break;
    }
    UnitStatus status;
    status.state = unit_state_;
    status.approved = unit_approved_;
    status.mq_status = mq_status_;
    status.m_confirmed = m_confirmed_;
    for (const auto& [id, conf] : sdl_confs_) {
      if (id == s.mid) {
        status.sdl_conf = conf;
        break;
      }
    }
    set_unit_state(unit);
    std::string id = absl::StrCat(unit_id_, "/", s.mid.empty() ? std::to_string(n + 1) : s.mid);
    EndUnitOrSegment(std::move(id), s.line, status, unit_translate_no_, error);
  }
  seg_sources_.clear();
  seg_targets_.clear();
}

}  // namespace qantara::formats::xliff_internal
