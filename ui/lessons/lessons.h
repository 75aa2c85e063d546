#pragma once

#include "lesson.h"

#include <QList>
#include <QString>
#include <functional>
#include <optional>

namespace padlab::ui {

/// @brief A lesson that comes with the program: the Lessons menu lists them in order.
struct BuiltinLesson {
    QString id;          ///< stable name ("valid-shrinks", ...)
    QString title;       ///< menu text, also the lesson's title
    QString explanation; ///< a few sentences shown beside the panels
    /// Builds the lesson: input, kernel and settings, with the title and explanation above.
    /// Inputs drawn from samples need a QGuiApplication.
    std::function<Lesson()> make;
};

/// @brief Every built-in lesson, in menu order.
const QList<BuiltinLesson> &builtinLessons();

/// @brief The built-in lesson @p id, made; nullopt for an unknown id.
std::optional<Lesson> makeBuiltinLesson(const QString &id);

/// @brief How the command line names a built-in lesson: `lesson:NAME`, NAME its id.
inline constexpr char kLessonPrefix[] = "lesson:";

/// @brief The NAME of an argument `lesson:NAME` (known or not); nullopt for any other argument.
std::optional<QString> lessonArgument(const QString &argument);

/// @brief Every built-in lesson's id, in menu order, comma-separated: what `--help` lists.
QString builtinLessonIds();

/// @brief `no built-in lesson named NAME (known: valid-shrinks, ...)`.
QString unknownLessonMessage(const QString &name);

} // namespace padlab::ui
