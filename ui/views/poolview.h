#pragma once

#include "poolpainter.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QScrollArea;
class QSpinBox;

namespace padlab::ui {

class Session;
class PoolCanvas;

/**
 * The Pooling mode: the session's input pooled (max or average, window, stride, dilation, valid,
 * same or explicit pads, ceil_mode, count_include_pad) under PyTorch's or TensorFlow's rule,
 * optionally both side by side. The settings are the session's view settings
 * (ViewSettings::pool, poolRule, poolBoth); PoolPainter draws the newest snapshot with a PoolSet.
 * Hovering an output cell shows its window; clicking it moves the window there.
 */
class PoolView : public QWidget {
    Q_OBJECT

public:
    explicit PoolView(Session *session, QWidget *parent = nullptr);
    ~PoolView() override;

    PoolOptions options() const;
    SnapshotPtr shown() const { return m_shown; }
    bool isComputing() const;
    std::optional<QPoint> hoveredOutput() const { return m_hovered; }
    void setHoveredOutput(std::optional<std::pair<int, QPoint>> cell);

Q_SIGNALS:
    /// A newly computed pooling is drawn.
    void poolChanged();
    void cellClicked(QPoint cell);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void snapshotChanged();
    void viewSettingsChanged();
    void controlsEdited();

    Session *m_session;
    SnapshotPtr m_shown;
    bool m_needs = false;
    std::optional<QPoint> m_hovered;
    int m_hoveredRun = 0;
    QComboBox *m_op = nullptr;
    QSpinBox *m_size = nullptr;
    QSpinBox *m_stride = nullptr;
    QSpinBox *m_dilation = nullptr;
    QComboBox *m_amount = nullptr;
    QLineEdit *m_pads = nullptr;
    QCheckBox *m_ceil = nullptr;
    QComboBox *m_countPad = nullptr;
    QComboBox *m_rule = nullptr;
    QCheckBox *m_both = nullptr;
    QLabel *m_error = nullptr;
    QScrollArea *m_scroll = nullptr;
    PoolCanvas *m_canvas = nullptr;
};

} // namespace padlab::ui
