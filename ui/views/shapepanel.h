#pragma once

#include <QWidget>

class QLabel;
class QTextBrowser;

namespace padlab::ui {

class Session;

/**
 * The arithmetic of the operation the shown tab teaches (ShownOp: the 2-D convolution of the
 * sliding-window tabs, or the Channels, Pooling, Transposed or Volume tab's own), axis by axis:
 * how the padding (or crop) was chosen, the output size with its formula and numbers, the padded
 * cells no window reads, and where the frameworks agree and disagree about these settings, under
 * a title naming the operation. It follows the snapshot that was painted. Everything comes from
 * the engine.
 */
class ShapePanel : public QWidget {
    Q_OBJECT

public:
    explicit ShapePanel(const Session *session, QWidget *parent = nullptr);

    /// The text shown, the title first, without markup (for tests and copying).
    QString plainText() const;
    /// Which operation the panel describes (its first line).
    QString title() const;

private:
    void refresh();

    const Session *m_session;
    QLabel *m_titleLabel;
    QTextBrowser *m_text;
    QString m_title;
    QString m_html;
};

} // namespace padlab::ui
