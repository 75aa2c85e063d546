#pragma once

#include "look.h"

#include "padlab/core/geometry.h"

#include <QWidget>

class QBoxLayout;
class QCheckBox;
class QSlider;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace padlab::ui {

class Session;
struct ViewSettings;

/// Which settings of the dock act on what a tab shows. The Pooling, Transposed and Volume tabs
/// set their own padding, stride and dilation above their drawing, the Layers tab its layers;
/// the display options act only where a painter reads them.
struct DockParts {
    bool kernel = true;       ///< the kernel editor
    bool convolution = true;  ///< amount, fill, stride, dilation and operation
    bool channel = true;      ///< the colour channel the plane is taken from
    bool outputScale = true;  ///< how signed outputs are coloured
    bool clipOutliers = true; ///< colours over the 1st to 99th percentile
    bool paddingTint = true;
    QString note;             ///< where the tab's own settings are, when the dock leaves some out
};

/**
 * The convolution settings: amount of padding (with four sides when explicit), fill (with its
 * names in the frameworks), constant value, stride and dilation per axis, correlation or
 * convolution, the colour channel, how signed outputs are shown, whether their colours clip the
 * extreme 1 % at each end, and how strongly padding is tinted (the last two in the session's look).
 *
 * Every control writes to the Session and follows Session::changed. The output scale is a
 * display choice, not part of the Session: it is announced with outputScaleChanged(). Only the
 * settings that act on the tab shown are shown (partsFor()), with a note saying where the tab's
 * own settings are when some are left out.
 */
class ControlPanel : public QWidget {
    Q_OBJECT

public:
    explicit ControlPanel(Session *session, QWidget *parent = nullptr);

    /// Groups one under the other (Vertical) or side by side (Horizontal).
    void setOrientation(Qt::Orientation orientation);

    OutputScale outputScale() const;
    void setOutputScale(OutputScale scale);

    /// The names of @p fill in Keras, PyTorch, OpenCV, NumPy and SciPy, one per line.
    static QString fillNamesText(int fillIndex);
    /// How Keras, PyTorch, OpenCV, NumPy and SciPy write the padding of @p spec (amount and fill
    /// together) with the pads @p sides it comes to for a kernel of @p kernelSize, one per line:
    /// what the Fill box says under the fill.
    static QString paddingText(const core::ConvSpec &spec, const core::Sides &sides, core::PerAxis kernelSize);
    /// The settings that act on the tab @p view shows (with its own settings, for the Volume tab's
    /// kernel).
    static DockParts partsFor(const ViewSettings &view);

Q_SIGNALS:
    void outputScaleChanged(padlab::ui::OutputScale scale);

protected:
    void changeEvent(QEvent *event) override;

private:
    void fitFillNames();
    void syncFromSession();
    void syncLook();
    void syncView();
    void amountEdited();
    void fillEdited();
    QSpinBox *makeSpin(const char *name, int minimum, int maximum, const QString &tip);

    Session *m_session;
    QBoxLayout *m_layout;
    QComboBox *m_amount;
    QWidget *m_sidesBox;
    QSpinBox *m_top;
    QSpinBox *m_bottom;
    QSpinBox *m_left;
    QSpinBox *m_right;
    QComboBox *m_fill;
    QLabel *m_fillNames;
    QDoubleSpinBox *m_value;
    QSpinBox *m_strideRows;
    QSpinBox *m_strideCols;
    QSpinBox *m_dilationRows;
    QSpinBox *m_dilationCols;
    QComboBox *m_operation;
    QComboBox *m_channel;
    QComboBox *m_outputScale;
    QCheckBox *m_clipOutliers;
    QSlider *m_paddingTint;
    QFormLayout *m_displayForm;
    QLabel *m_note = nullptr;
    QWidget *m_amountGroup;
    QWidget *m_fillGroup;
    QWidget *m_windowGroup;
    QWidget *m_displayGroup;
};

} // namespace padlab::ui
