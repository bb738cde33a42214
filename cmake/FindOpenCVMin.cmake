# OpenCV core + imgproc only (libopencv-core-dev, libopencv-imgproc-dev): the full libopencv-dev
# and its OpenCVConfig.cmake drag in GUI stacks we do not want. Defines OpenCVMin::OpenCVMin.
find_path(OPENCVMIN_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4)
find_path(OPENCVMIN_IMGPROC_INCLUDE_DIR opencv2/imgproc.hpp PATH_SUFFIXES opencv4)
find_library(OPENCVMIN_CORE_LIBRARY NAMES opencv_core)
find_library(OPENCVMIN_IMGPROC_LIBRARY NAMES opencv_imgproc)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCVMin
  REQUIRED_VARS OPENCVMIN_CORE_LIBRARY OPENCVMIN_IMGPROC_LIBRARY OPENCVMIN_INCLUDE_DIR
                OPENCVMIN_IMGPROC_INCLUDE_DIR)
if(OpenCVMin_FOUND AND NOT TARGET OpenCVMin::OpenCVMin)
  add_library(OpenCVMin::core UNKNOWN IMPORTED)
  set_target_properties(OpenCVMin::core PROPERTIES
    IMPORTED_LOCATION "${OPENCVMIN_CORE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${OPENCVMIN_INCLUDE_DIR}")
  add_library(OpenCVMin::OpenCVMin UNKNOWN IMPORTED)
  set_target_properties(OpenCVMin::OpenCVMin PROPERTIES
    IMPORTED_LOCATION "${OPENCVMIN_IMGPROC_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${OPENCVMIN_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "OpenCVMin::core")
endif()
mark_as_advanced(OPENCVMIN_INCLUDE_DIR OPENCVMIN_IMGPROC_INCLUDE_DIR OPENCVMIN_CORE_LIBRARY
                 OPENCVMIN_IMGPROC_LIBRARY)
