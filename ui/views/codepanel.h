#pragma once

#include "padlab/core/codegen.h"

#include <QString>
#include <QWidget>

class QAbstractButton;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabBar;

namespace padlab::ui {

class Session;

/**
 * Equivalent code: for the operation the shown tab teaches (ShownOp: the 2-D convolution of the
 * sliding-window tabs through core::generateCode, or the Channels, Pooling, Transposed or Volume
 * tab's convolution, pooling or transposed convolution through core::generateTensorCode), a
 * Python 3 script in the idiom of Keras / TensorFlow, PyTorch, OpenCV (cv2) or NumPy / SciPy that
 * computes the same output, with a Copy button and a title naming the operation; or, where the
 * framework cannot express the settings, a plain statement of why instead of code (as
 * `padlab code` says it when it ends with exit status 3).
 *
 * It follows the session's snapshot (the settings the panels show) and regenerates only while
 * visible; the accessors always answer for the current snapshot. It is drawn in the session's
 * look.
 */
class CodePanel : public QWidget {
    Q_OBJECT

public:
    explicit CodePanel(Session *session, QWidget *parent = nullptr);

    core::Framework framework() const { return m_framework; }
    void setFramework(core::Framework framework);

    double fontScale() const { return m_fontScale; }
    bool isDark() const { return m_dark; }

    /// Whether the chosen framework can express the current settings.
    bool isExpressible() const;
    /// The script, or empty when the framework cannot express the settings.
    QString script() const;
    /// Why the framework cannot express the settings (or why nothing can be shown); empty when
    /// the script is shown.
    QString reason() const;
    /// What the panel shows: the script, or the statement of why there is none.
    QString shownText() const;
    /// Which operation the code is for: the one the shown tab teaches (ShownOp::title).
    QString title() const;

    /// Puts the script on the clipboard (the statement when there is no script).
    void copyToClipboard();
    QAbstractButton *copyButton() const;

Q_SIGNALS:
    void frameworkChanged(padlab::core::Framework framework);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void sessionChanged();
    void ensureCurrent() const;
    void refresh();
    void lookChanged();

    Session *m_session;
    core::Framework m_framework = core::Framework::PyTorch;
    double m_fontScale = 1.0;
    bool m_dark = false;

    mutable bool m_stale = true;
    mutable core::GeneratedCode m_code;
    mutable QString m_problem; ///< an input or request the engine refuses
    mutable QString m_titleText;
    mutable QString m_hintText;

    QTabBar *m_tabs = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_hint = nullptr;
    QPushButton *m_copy = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QLabel *m_reason = nullptr;
};

} // namespace padlab::ui
