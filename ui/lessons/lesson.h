#pragma once

#include "look.h"
#include "panelpainter.h"
#include "session.h"

#include "padlab/core/geometry.h"

#include <QString>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <vector>

namespace padlab::ui {

/// A ring the presenter's pen drew around a block of cells of one panel.
struct PenRing {
    Panel panel = Panel::Padded;
    QRect cells; ///< x = col, y = row, in the panel's own grid
    friend bool operator==(const PenRing &, const PenRing &) = default;
};

/// How the window showed the lesson; not part of the computation. The look's text size, output
/// colours, padding tint and colour clip are kept; its theme follows the window where the lesson
/// is opened.
struct LessonDisplay {
    static constexpr int kMaxRings = 1000;
    Look look;
    /// Pixels per cell; 0 means "fit the panels to the window".
    double cellSize = 0;
    std::vector<PenRing> rings;
    friend bool operator==(const LessonDisplay &, const LessonDisplay &) = default;
};

/// Which teaching view the window showed and that view's own settings (the session's view
/// settings); absent from older files, which open in the sliding-window view.
using LessonView = ViewSettings;

/**
 * Everything needed to reopen a view exactly, as read from or written to a `.padlab.json` file:
 * a versioned JSON object.
 *
 * The input is either a file (inputPath: absolute in memory, written relative to the lesson's
 * folder) or embedded in the lesson: numeric matrices as JSON rows of numbers, so every value
 * reads back exactly, and 8-bit images (samples, small image files) as a base64 PNG.
 * Either way `input` holds the loaded matrix once the lesson has been read.
 */
struct Lesson {
    static constexpr int kVersion = 1; ///< the only version this program reads and writes

    int version = kVersion;
    QString title;
    QString explanation;

    QString inputName; ///< what the window's title shows
    QString inputPath; ///< absolute; empty when the input is embedded
    /// The file the input was read from (absolute), even when it is embedded; empty for
    /// samples and inputs that came embedded.
    QString sourcePath;
    cv::Mat input; ///< CV_8U (images), CV_32F or CV_64F, one or three (B, G, R) channels
    /// input holds a (C, H, W) array's channels (1 to kMaxInputChannels, c0 first), written as
    /// "channels" when embedded; the plane convolved is channel 0.
    bool tensor = false;
    Session::Channel channel = Session::Channel::Gray;

    cv::Mat kernel; ///< CV_64F
    core::ConvSpec spec;
    int stepRow = 0; ///< output cell the window is on
    int stepCol = 0;
    LessonDisplay display;
    LessonView view;
};

/// @brief Inputs up to this many cells on each side are embedded in the lesson.
inline constexpr int kMaxEmbeddedSide = 256;

/// @brief The lesson of what @p session shows now: inputs read from a file larger than
/// kMaxEmbeddedSide on a side are referenced by path, all others embedded.
Lesson lessonFromSession(const Session &session, const LessonDisplay &display = {});

/// @brief Makes @p session show @p lesson: input, channel, kernel, settings, step and view. A lesson
/// whose settings the engine refuses leaves the session as it was and returns false with the
/// reason in @p error. The step is set once the result is computed (at once for small inputs).
bool applyLesson(const Lesson &lesson, Session &session, QString *error);

/// @brief Reads and checks a lesson file (a regular file of at most core::kMaxLessonBytes),
/// loading the input it references once. Refuses text that is not a JSON object, a missing or
/// unknown version, and every malformed field, naming its key (`stride: expected two whole
/// numbers >= 1`); @p error starts with the file's name.
///
/// A lesson is data: its `input.path` must lead to a file in the lesson's folder or below it
/// (symbolic links followed, without looking at anything outside the folder); an absolute path,
/// or one that climbs out, is refused unless @p allowOutside, with @p outside set to the path as
/// the lesson wrote it. No message repeats what the input file holds, or tells whether a file
/// outside the folder exists.
std::optional<Lesson> readLesson(const QString &path, QString *error, bool allowOutside = false,
                                 QString *outside = nullptr);

/// @brief The input file a lesson file refers to (absolute), without reading that input; empty
/// when the input is embedded or the lesson cannot be read.
QString lessonInputPath(const QString &path);

/// @brief Whether writing @p lesson to @p path would copy into it the content of a file outside
/// the lesson's folder (an embedded input read from such a file).
bool embedsOutsideFile(const Lesson &lesson, const QString &path);

/// @brief Writes @p lesson to @p path through core::OutputFile: on failure the previous file is
/// untouched; a symbolic link is kept and the file it leads to keeps its permissions. An input
/// read from a file outside the lesson's folder is named by its path instead of embedded,
/// unless @p embedOutside (the user's say).
bool writeLesson(const Lesson &lesson, const QString &path, QString *error, bool embedOutside = false);

/// @brief Whether @p path names a lesson file (`.padlab.json`, or any `.json`).
bool isLessonPath(const QString &path);

} // namespace padlab::ui
