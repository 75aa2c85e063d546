#pragma once

#include "volumepainter.h"

#include <QWidget>

#include <array>
#include <optional>
#include <vector>

class QComboBox;
class QSpinBox;

namespace padlab::ui {

class Session;
class VolumeCanvas;

/**
 * The Volume mode: a small volume padded on all six sides (ZeroPadding3D's front, back, top,
 * bottom, left, right), its depth slices side by side, the 3-D window in each slice it reads
 * with that slice's partial sum, the output volume and each axis's output size.
 *
 * A row on top chooses the volume, the kernel (a box, or the session's kernel stacked kd deep),
 * the amount, the six pads, the stride and the dilation per axis: all session settings
 * (Session::setVolumeSettings()). The current output cell follows the session's step over the
 * output's D x H x W cells; hovering an output cell shows its window instead.
 */
class VolumeView : public QWidget {
    Q_OBJECT

public:
    explicit VolumeView(Session *session, QWidget *parent = nullptr);
    ~VolumeView() override;

    VolumeOptions options() const;
    /// The set drawn: computed from the session's volume settings and kernel.
    const VolumeSet &volumeSet() const { return m_set; }
    std::optional<std::vector<int>> hoveredOutput() const { return m_hovered; }
    void setHoveredOutput(std::optional<std::vector<int>> cell);
    VolumeCanvas *canvas() const { return m_canvas; }

private:
    void recompute();
    void settingsToControls();
    void controlsToSettings();

    Session *m_session;
    VolumeSet m_set;
    std::optional<std::vector<int>> m_hovered;
    bool m_updating = false;
    QComboBox *m_source = nullptr;
    QComboBox *m_kernel = nullptr;
    QSpinBox *m_kd = nullptr;
    QComboBox *m_amount = nullptr;
    std::array<QSpinBox *, 6> m_pads{};
    std::array<QSpinBox *, 3> m_stride{};
    std::array<QSpinBox *, 3> m_dilation{};
    VolumeCanvas *m_canvas = nullptr;
};

/// Where VolumePainter draws; hover shows a cell's window, a click moves the step there. As wide
/// as the tab, as high as the slices need when they wrap into rows that wide.
class VolumeCanvas : public QWidget {
    Q_OBJECT
public:
    explicit VolumeCanvas(VolumeView *view);
    QSize sizeHint() const override;
    /// One slice a row: narrower than that, the tab scrolls rather than shrink the numbers.
    QSize minimumSizeHint() const override;
    /// The slices wrap to the width: the height they then need at the look's text size.
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

Q_SIGNALS:
    void hovered(std::optional<std::vector<int>> cell);
    void clicked(std::vector<int> cell);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    VolumeView *m_view;
};

} // namespace padlab::ui
