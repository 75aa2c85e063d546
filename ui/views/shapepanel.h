#pragma once

#include <QWidget>

class QTextBrowser;

namespace padlab::ui {

class Session;

/**
 * The arithmetic of the current settings, axis by axis: how the per-side padding was chosen,
 * the output size with its formula and numbers, the padded cells no window reads, and where
 * the frameworks disagree about these settings. Everything comes from the engine.
 */
class ShapePanel : public QWidget {
    Q_OBJECT

public:
    explicit ShapePanel(const Session *session, QWidget *parent = nullptr);

    /// The text shown, without markup (for tests and copying).
    QString plainText() const;

private:
    void refresh();

    const Session *m_session;
    QTextBrowser *m_text;
};

} // namespace padlab::ui
