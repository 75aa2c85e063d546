#pragma once

#include "exporter.h"

#include <QDialog>
#include <QSize>
#include <QString>

#include <functional>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;
class QTimer;

namespace padlab::ui {

class Session;

/**
 * File > Export's dialog: the file (a name derived from the input and the view, and Browse…),
 * the view, the size (a scale of the cells and text together, 1 being a still's cells for
 * readable numbers or an animation fitted to a 1920 × 1080 slide; or a width in pixels), for
 * animations every N-th step or row by row and the frame rate; and, updated as the options
 * change, what the export will be: its frames, its size in pixels, about how many bytes and
 * how long it plays. Accepting an animation of more than 2,000 frames asks first.
 *
 * It only gathers options; exportWithDialogs() writes.
 */
class ExportDialog : public QDialog {
    Q_OBJECT

public:
    /// Animations of more frames than this are confirmed before they are written.
    static constexpr long long kConfirmFrames = 2000;

    ExportDialog(Session &session, ExportView view, bool animation, bool fadeUncomputed, QWidget *parent = nullptr);
    ~ExportDialog() override;

    QString path() const;
    ExportOptions options() const;

    // What the export will be with the options shown.
    long long frameCount() const; ///< 1 for a still
    QSize imageSize() const;
    std::optional<qint64> expectedBytes() const; ///< computed now, not waiting for the label
    double durationSeconds() const;              ///< 0 for a still
    /// The summary shown under the options: frames, pixels, bytes, duration.
    QString summaryText() const;
    /// Whether accepting asks first (an animation of more than kConfirmFrames frames).
    bool needsConfirmation() const { return frameCount() > kConfirmFrames; }

    void setPath(const QString &path);
    void setView(ExportView view);
    void setScale(double scale);
    void setTargetWidth(int width);
    void setEvery(int every);
    void setRowByRow(bool rowByRow);
    void setFps(double fps);

    /// Asks whether to go on with @p question; a message box unless replaced (tests answer it).
    void setConfirmation(std::function<bool(const QString &question)> ask) { m_ask = std::move(ask); }

public Q_SLOTS:
    void accept() override;

private:
    void browse();
    void optionsChanged();
    void updateBytes();
    void updateSuffixes();
    Exporter::Format format() const;

    Session &m_session;
    bool m_animation;
    bool m_fadeUncomputed;
    bool m_nameEdited = false; // a name the user typed or chose is kept when the view changes
    QString m_replaceAsked;    // the file the file dialog already asked to replace
    QLineEdit *m_path = nullptr;
    QComboBox *m_format = nullptr;
    QComboBox *m_view = nullptr;
    QRadioButton *m_byScale = nullptr;
    QRadioButton *m_byWidth = nullptr;
    QDoubleSpinBox *m_scale = nullptr;
    QSpinBox *m_width = nullptr;
    QRadioButton *m_byEvery = nullptr;
    QRadioButton *m_byRow = nullptr;
    QSpinBox *m_every = nullptr;
    QDoubleSpinBox *m_fps = nullptr;
    QLabel *m_frames = nullptr;
    QLabel *m_pixels = nullptr;
    QLabel *m_bytes = nullptr;
    QLabel *m_duration = nullptr;
    QTimer *m_bytesTimer = nullptr;
    std::function<bool(const QString &)> m_ask;
};

} // namespace padlab::ui
